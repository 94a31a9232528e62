import { type ApiMethod, type ApiProgress, progressOf } from '../../../electron/shared/contract/index';
import { api } from './client';

/** A caller-chosen id for long work, so it can be watched and cancelled while it runs. */
export const newOperationId = (prefix: string): string => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;

/**
 * Polls `operations.list` for one running operation of `method` until stopped, handing its latest progress on. Every
 * long method runs in core's one operation registry, so this is the only place the renderer names the listing.
 */
export function watchOperation<M extends ApiMethod>(
  incidentId: string,
  method: M,
  operationId: string,
  onProgress: (progress: NonNullable<ApiProgress<M>>) => void,
  everyMs = 400,
): () => void {
  const timer = setInterval(() => {
    api('operations.list', { incidentId }).then(
      (ops) => {
        const progress = progressOf(ops, operationId, method);
        if (progress !== null && progress !== undefined) onProgress(progress);
      },
      // Progress is a courtesy: the work's own answer says how it ended.
      () => undefined,
    );
  }, everyMs);
  return () => clearInterval(timer);
}

/** Tells a running operation to stop; its own answer then says it was cancelled. */
export const cancelOperation = (operationId: string): Promise<{ cancelled: boolean }> => api('operations.cancel', { operationId });
