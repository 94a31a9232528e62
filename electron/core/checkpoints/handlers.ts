import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { incidentOf } from '../reports/incident-run';
import { verifyLedgerScope } from '../ledger/handlers';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import type { SignerKeyStore } from '../signers/key-store';
import { makeCheckpoint } from './checkpoint';
import { CheckpointRepository } from './repository';
import { verifyCheckpoints } from './verify';

type Methods = 'audit.verify' | 'audit.checkpoint' | 'audit.checkpoints' | 'settings.get' | 'settings.set';

/** A TSA URL is http(s); anything else would only fail at the next phase close. */
function checkSetting(key: string, value: string): void {
  if (key === 'tsa-url') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw badInput(`tsa-url: "${value}" is not a URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`tsa-url: "${value}" must be an http or https URL.`);
  } else if (key === 'tsa-ca' && !value.includes('-----BEGIN CERTIFICATE-----')) {
    throw badInput('tsa-ca: the value holds no PEM certificate (-----BEGIN CERTIFICATE-----).');
  }
}

export function checkpointHandlers(ctx: CoreContext, keys: SignerKeyStore): Pick<ApiHandlers, Methods> {
  const repo = new CheckpointRepository(ctx.db);
  return {
    'audit.verify': ({ scope }) => {
      const v = verifyLedgerScope(ctx, scope);
      if (scope === SYSTEM_SCOPE) return v;
      const checkpoints = verifyCheckpoints(ctx, scope);
      const bad = checkpoints.find((c) => !c.ok);
      if (!v.ok || !bad) return { ...v, checkpoints };
      const seq = repo.ofIncident(scope).find((c) => c.id === bad.id)?.ledgerSeq ?? 0;
      return { ...v, ok: false, checkpoints, firstBroken: { seq, action: 'checkpoint', reason: `checkpoint ${bad.id}: ${bad.problem ?? ''}` } };
    },
    'audit.checkpoint': async ({ id }) => {
      incidentOf(ctx, id);
      return makeCheckpoint(ctx, keys, ctx.human(), id, 'on request');
    },
    'audit.checkpoints': ({ id }) => {
      incidentOf(ctx, id);
      return repo.ofIncident(id);
    },
    'settings.get': () => repo.settings(),
    'settings.set': ({ key, value }) => {
      if (value !== null) checkSetting(key, value);
      const before = repo.settings()[key];
      if (before === value) return repo.settings();
      const actor = ctx.human();
      ctx.tx(() => {
        repo.setSetting(key, value);
        ctx.ledger.append(actor, { scope: SYSTEM_SCOPE, action: value === null ? 'settings.cleared' : 'settings.changed', subject: key, payload: { from: before, to: value } });
      });
      return repo.settings();
    },
  };
}
