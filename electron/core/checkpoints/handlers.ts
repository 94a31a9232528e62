import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { badInput, notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import type { SignerKeyStore } from '../signers/key-store';
import { makeCheckpoint } from './checkpoint';
import { orgSettings, putOrgSetting } from './org-settings';
import { CheckpointRepository } from './repository';

type Methods = 'audit.checkpoint' | 'audit.checkpoints' | 'settings.get' | 'settings.set';

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
  const incidents = new IncidentRepository(ctx.db);
  const exists = (id: string) => {
    if (!incidents.exists(id)) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
  };
  return {
    'audit.checkpoint': async ({ id }) => {
      exists(id);
      return makeCheckpoint(ctx, keys, ctx.human(), id, 'on request');
    },
    'audit.checkpoints': ({ id }) => {
      exists(id);
      return repo.ofIncident(id);
    },
    'settings.get': () => orgSettings(ctx.db),
    'settings.set': ({ key, value }) => {
      if (value !== null) checkSetting(key, value);
      const before = orgSettings(ctx.db)[key];
      if (before === value) return orgSettings(ctx.db);
      const action = value === null ? 'settings.cleared' : 'settings.changed';
      ctx.change(ctx.human(), { scope: SYSTEM_SCOPE, action, subject: key, payload: { from: before, to: value } }, () => putOrgSetting(ctx.db, key, value));
      return orgSettings(ctx.db);
    },
  };
}
