import type { EvidenceOperation } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { registryPerCore } from '../operations';

/** Long evidence work (intake of large files, verification). Nothing is recorded: a cancelled intake leaves nothing. */
const registry = registryPerCore<EvidenceOperation>();

export interface Tracked {
  signal: AbortSignal;
  /** Stops the work, e.g. when the client that started it goes away. */
  abort(): void;
  onProgress: (bytesDone: number, bytesTotal: number | null) => void;
}

/** Runs `work` under an operation id (when given) so it can be watched and cancelled. */
export function track<T>(
  ctx: CoreContext,
  operationId: string | undefined,
  about: { incidentId: string; name: string },
  work: (t: Tracked) => Promise<T>,
): Promise<T> {
  const state: EvidenceOperation = {
    operationId: operationId ?? '',
    incidentId: about.incidentId,
    name: about.name,
    bytesDone: 0,
    bytesTotal: null,
    startedAt: ctx.now().toISOString(),
  };
  return registry(ctx).run(operationId, state, (signal, op, abort) =>
    work({
      signal,
      abort,
      onProgress: (done, total) => {
        op.bytesDone = done;
        op.bytesTotal = total;
      },
    }),
  );
}

export const listOperations = (ctx: CoreContext, incidentId?: string): EvidenceOperation[] => registry(ctx).list(incidentId);

/** True when an operation with that id was running and is now told to stop. */
export const cancelOperation = (ctx: CoreContext, operationId: string): boolean => registry(ctx).cancel(operationId);
