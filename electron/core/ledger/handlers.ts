import type { ApiHandlers } from '../../shared/contract/index';
import type { LedgerVerification } from '../../shared/domain';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { SYSTEM_SCOPE } from './ledger';

const exists = (ctx: CoreContext, scope: string) => {
  if (scope === SYSTEM_SCOPE) return;
  if (!ctx.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(scope)) throw notFound(`There is no incident ${scope} in ${ctx.dataDir}.`);
};

/** A scope's chain, entry by entry; an incident's must also begin with its opening. Checkpoints are checked on top (audit.verify). */
export function verifyLedgerScope(ctx: CoreContext, scope: string): LedgerVerification {
  exists(ctx, scope);
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
}

export function auditHandlers(ctx: CoreContext): Pick<ApiHandlers, 'audit.entries'> {
  return {
    'audit.entries': ({ scope }) => {
      exists(ctx, scope);
      return ctx.ledger.entries(scope);
    },
  };
}
