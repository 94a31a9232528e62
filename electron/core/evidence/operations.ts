import type { EvidenceOperation } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';

interface Running extends EvidenceOperation {
  controller: AbortController;
}

/**
 * Long evidence work (intake of large files, verification) in progress, by an id the caller chose. The Api is
 * request/response over every transport, so the UI polls `evidence.operations` for progress and calls `evidence.cancel`;
 * nothing here is recorded, because a cancelled intake leaves nothing to record.
 */
const registries = new WeakMap<CoreContext, Map<string, Running>>();

const registry = (ctx: CoreContext) => {
  let r = registries.get(ctx);
  if (!r) {
    r = new Map();
    registries.set(ctx, r);
  }
  return r;
};

export interface Tracked {
  signal: AbortSignal;
  /** Stops the work, e.g. when the client that started it goes away. */
  abort(): void;
  onProgress: (bytesDone: number, bytesTotal: number | null) => void;
}

/** Runs `work` under an operation id (when given) so it can be watched and cancelled. */
export async function track<T>(
  ctx: CoreContext,
  operationId: string | undefined,
  about: { incidentId: string; name: string },
  work: (t: Tracked) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const op: Running = {
    operationId: operationId ?? '',
    incidentId: about.incidentId,
    name: about.name,
    bytesDone: 0,
    bytesTotal: null,
    startedAt: ctx.now().toISOString(),
    controller,
  };
  const ops = registry(ctx);
  if (operationId) {
    if (ops.has(operationId)) throw new FirebreakError('conflict', `Operation ${operationId} is already running.`);
    ops.set(operationId, op);
  }
  try {
    return await work({
      signal: controller.signal,
      abort: () => controller.abort(),
      onProgress: (done, total) => {
        op.bytesDone = done;
        op.bytesTotal = total;
      },
    });
  } finally {
    if (operationId) ops.delete(operationId);
  }
}

export function listOperations(ctx: CoreContext, incidentId?: string): EvidenceOperation[] {
  return [...registry(ctx).values()]
    .filter((o) => !incidentId || o.incidentId === incidentId)
    .map(({ controller: _c, ...rest }) => rest);
}

/** True when an operation with that id was running and is now told to stop. */
export function cancelOperation(ctx: CoreContext, operationId: string): boolean {
  const op = registry(ctx).get(operationId);
  if (!op) return false;
  op.controller.abort();
  return true;
}
