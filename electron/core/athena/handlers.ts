import type { athenaContract } from '../../shared/contract/athena';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { ATHENA_POLLING, AthenaRunner, type Polling } from './athena-runner';
import { athenaPlan } from './plan';
import { runInAthena } from './run';

type AthenaMethod = keyof typeof athenaContract;

/** A local endpoint (tests) answers at once; AWS is asked at the published back-off. */
const LOCAL_POLLING: Polling = { firstMs: 10, maxMs: 100, factor: 1.5 };
const isLocal = (endpoint: string | undefined) => Boolean(endpoint && /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(endpoint));

export function athenaHandlers(ctx: CoreContext): Pick<ApiHandlers, AthenaMethod> {
  return {
    'athena.plan': (input) => athenaPlan(ctx, input),
    'athena.run': async ({ athenaRegion, profile, endpoint, confirm: _confirm, operationId: _op, ...input }, { signal, progress }) => {
      const runner = new AthenaRunner(
        {
          region: athenaRegion ?? (input.regions[0] as string),
          database: input.database,
          ...(profile ? { profile } : {}),
          ...(endpoint ? { endpoint } : {}),
          ...(input.workgroup ? { workgroup: input.workgroup } : {}),
          ...(input.output ? { output: input.output } : {}),
        },
        isLocal(endpoint) ? LOCAL_POLLING : ATHENA_POLLING,
      );
      try {
        return await runInAthena(ctx, input, runner, { signal, onProgress: progress });
      } finally {
        runner.destroy();
      }
    },
  };
}
