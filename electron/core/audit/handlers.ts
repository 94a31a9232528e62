import type { AuditVerification } from '../../shared/checkpoints';
import type { ApiHandlers } from '../../shared/contract/index';
import type { LedgerVerification } from '../../shared/domain';
import { CheckpointRepository } from '../checkpoints/repository';
import { verifyCheckpoints } from '../checkpoints/verify';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { verifyChainInParallel } from '../ledger/parallel-verify';

/** A scope's chain, entry by entry (a long one on several cores); an incident's must also begin with its opening. */
async function verifyLedgerScope(ctx: CoreContext, scope: string): Promise<LedgerVerification> {
  const v = await verifyChainInParallel(ctx.db, ctx.ledger, scope);
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

export function auditHandlers(ctx: CoreContext): Pick<ApiHandlers, 'audit.entries' | 'audit.verify'> {
  const incidents = new IncidentRepository(ctx.db);
  const checkpoints = new CheckpointRepository(ctx.db);
  const exists = (scope: string) => {
    if (scope === SYSTEM_SCOPE) return;
    if (!incidents.exists(scope)) throw notFound(`There is no incident ${scope} in ${ctx.dataDir}.`);
  };
  return {
    'audit.entries': ({ scope }) => {
      exists(scope);
      return ctx.ledger.entries(scope);
    },
    // The chain, then (for an incident) every checkpoint made of it: a chain rewritten whole still links, not to what was signed.
    'audit.verify': async ({ scope }): Promise<AuditVerification> => {
      exists(scope);
      const v = await verifyLedgerScope(ctx, scope);
      if (scope === SYSTEM_SCOPE) return v;
      const checks = verifyCheckpoints(ctx, scope);
      const bad = checks.find((c) => !c.ok);
      if (!v.ok || !bad) return { ...v, checkpoints: checks };
      const seq = checkpoints.ofIncident(scope).find((c) => c.id === bad.id)?.ledgerSeq ?? 0;
      return { ...v, ok: false, checkpoints: checks, firstBroken: { seq, action: 'checkpoint', reason: `checkpoint ${bad.id}: ${bad.problem ?? ''}` } };
    },
  };
}
