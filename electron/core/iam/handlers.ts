import type { iamContract } from '../../shared/contract/iam';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { analyzeFiles, analyzeIncident, leastPrivilege, readIamFile } from './analyse/analyze';
import { captureIdentity } from './capture/capture';
import { gapFacts } from './report/gap-facts';
import { planRevocation, revocations, revoke, undoRevocation } from './revoke/revoke';
import { recordSources, requireIncident } from './snapshot-store';
import { IamSourcesRepository } from './store/sources-repository';

type IamMethod = keyof typeof iamContract;

export interface IamHandlerOptions {
  /** The CLI user's environment: the poll pacing a test sets for a local endpoint. */
  env?: NodeJS.ProcessEnv | undefined;
}

/** Polling can only be sped up for a local endpoint (tests); against AWS it waits 2 s between polls. */
function pollingFor(endpoint: string | undefined, env: NodeJS.ProcessEnv | undefined): { pollMs?: number } {
  const local = endpoint !== undefined && /^http:\/\/(127\.|localhost|\[::1\])/.test(endpoint);
  return local && env?.FIREBREAK_IAM_POLL_MS ? { pollMs: Number(env.FIREBREAK_IAM_POLL_MS) } : {};
}

export function iamHandlers(ctx: CoreContext, o: IamHandlerOptions = {}): Pick<ApiHandlers, IamMethod> {
  return {
    'iam.capture': ({ incidentId, role, user, profile, region, endpoint }, { signal, progress }) =>
      captureIdentity(ctx, { incidentId, role, user, profile, region, endpoint }, { signal, onProgress: progress, ...pollingFor(endpoint, o.env) }),
    'iam.import': async ({ incidentId, paths, identity, policyArn }) => {
      const actor = ctx.human();
      const files = [];
      for (const p of paths) files.push({ name: p, text: await readIamFile(p), binding: identity ?? policyArn ?? null });
      return recordSources(ctx, actor, incidentId, files, 'import');
    },
    'iam.sources': ({ incidentId }) => {
      requireIncident(ctx, incidentId);
      return new IamSourcesRepository(ctx.db).list(incidentId).map(({ seq: _seq, binding: _binding, ...s }) => s);
    },
    'iam.analyze': ({ incidentId, identity }) => analyzeIncident(ctx, incidentId, identity),
    'iam.analyzeFiles': ({ authz, logs, identity }) => analyzeFiles(authz, logs, identity),
    'iam.leastPrivilege': ({ incidentId, identity }) => leastPrivilege(ctx, incidentId, identity),
    'iam.revokePlan': ({ incidentId, role, user }) => planRevocation(ctx, { incidentId, role, user }),
    'iam.revoke': ({ incidentId, role, user, profile, region, endpoint, confirm, override }) => revoke(ctx, { incidentId, role, user, profile, region, endpoint, confirm, override }),
    'iam.undoRevocation': ({ incidentId, revocation, profile, region, endpoint }) => undoRevocation(ctx, incidentId, revocation, { profile, region, endpoint }),
    'iam.revocations': ({ incidentId }) => revocations(ctx, incidentId),
    'iam.gapFacts': ({ incidentId }) => gapFacts(ctx, incidentId),
  };
}
