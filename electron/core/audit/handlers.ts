import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { SYSTEM_SCOPE } from '../ledger/ledger';

export function auditHandlers(ctx: CoreContext): Pick<ApiHandlers, 'audit.entries' | 'audit.verify'> {
  const incidents = new IncidentRepository(ctx.db);
  const exists = (scope: string) => {
    if (scope === SYSTEM_SCOPE) return;
    if (!incidents.exists(scope)) throw notFound(`There is no incident ${scope} in ${ctx.dataDir}.`);
  };
  return {
    'audit.entries': ({ scope }) => {
      exists(scope);
      return ctx.ledger.entries(scope);
    },
    'audit.verify': ({ scope }) => {
      exists(scope);
      const v = ctx.ledger.verify(scope);
      if (!v.ok || scope === SYSTEM_SCOPE) return v;
      // An incident's chain starts when it is opened: an empty chain, or one that starts elsewhere, lost its beginning.
      const first = ctx.ledger.first(scope);
      if (!first) {
        return { ...v, ok: false, firstBroken: { seq: 1, action: null, reason: 'the incident exists but its ledger is empty (its entries and head were removed)' } };
      }
      if (first.action !== 'incident.opened') {
        return { ...v, ok: false, firstBroken: { seq: 1, action: first.action, reason: 'the chain does not begin with the opening of the incident' } };
      }
      return v;
    },
  };
}
