import type { ApiHandlers } from '../../shared/contract/index';
import type { tracesContract } from '../../shared/contract/traces';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { freezeWindow } from './freeze';
import { importTraces } from './import';
import { incidentChain } from './incident-chain';
import { scanTraces } from './scan';

type TracesMethod = keyof typeof tracesContract;

export function tracesHandlers(ctx: CoreContext): Pick<ApiHandlers, TracesMethod> {
  return {
    'trace.scan': async ({ paths, logs, tools, agents, freezeStart, freezeEnd }, { signal, progress }) => {
      const freeze = freezeWindow(freezeStart, freezeEnd, '--freeze-start and --freeze-end');
      try {
        return await scanTraces(paths, { logs, tools, agents, freeze, signal, onProgress: progress });
      } catch (e) {
        if (signal.aborted) throw new FirebreakError('cancelled', 'The trace scan was cancelled.');
        throw e;
      }
    },
    'trace.import': ({ incidentId, paths }, { signal, progress }) => importTraces(ctx, incidentId, paths, { signal, onProgress: progress }),
    'trace.chain': ({ incidentId }) => incidentChain(ctx, incidentId),
  };
}
