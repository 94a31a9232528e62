import type { ApiHandlers } from '../../shared/contract/index';
import type { tracesContract } from '../../shared/contract/traces';
import { FirebreakError } from '../errors';
import { scanTraces } from './scan';

type TracesMethod = keyof typeof tracesContract;

export function tracesHandlers(): Pick<ApiHandlers, TracesMethod> {
  return {
    'trace.scan': async ({ paths, logs, tools, agents }, { signal, progress }) => {
      try {
        return await scanTraces(paths, { logs, tools, agents, signal, onProgress: progress });
      } catch (e) {
        if (signal.aborted) throw new FirebreakError('cancelled', 'The trace scan was cancelled.');
        throw e;
      }
    },
  };
}
