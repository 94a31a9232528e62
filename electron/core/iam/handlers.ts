import type { iamContract } from '../../shared/contract/iam';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { analyzeFiles, analyzeIncident, readIamFile } from './analyse/analyze';
import { recordSources, requireIncident } from './snapshot-store';
import { IamSourcesRepository } from './store/sources-repository';

type IamMethod = keyof typeof iamContract;

export function iamHandlers(ctx: CoreContext): Pick<ApiHandlers, IamMethod> {
  return {
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
  };
}
