import type { BundleProgress } from '../../shared/reports';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';

interface Running extends BundleProgress {
  controller: AbortController;
}

/**
 * Bundles being written, by an id the caller chose. The Api is request/response over every transport, so the UI polls
 * `reports.operations` for progress and calls `reports.cancel`; a cancelled bundle leaves no file and records nothing.
 */
const registries = new WeakMap<CoreContext, Map<string, Running>>();

function registry(ctx: CoreContext): Map<string, Running> {
  let r = registries.get(ctx);
  if (!r) {
    r = new Map();
    registries.set(ctx, r);
  }
  return r;
}

export interface TrackedBundle {
  signal: AbortSignal;
  onProgress: (stage: BundleProgress['stage'], done: number, total: number) => void;
}

export async function trackBundle<T>(ctx: CoreContext, operationId: string | undefined, incidentId: string, work: (t: TrackedBundle) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const op: Running = { operationId: operationId ?? '', incidentId, stage: 'reports', done: 0, total: 0, startedAt: ctx.now().toISOString(), controller };
  const ops = registry(ctx);
  if (operationId) {
    if (ops.has(operationId)) throw new FirebreakError('conflict', `Operation ${operationId} is already running.`);
    ops.set(operationId, op);
  }
  try {
    return await work({
      signal: controller.signal,
      onProgress: (stage, done, total) => {
        op.stage = stage;
        op.done = done;
        op.total = total;
      },
    });
  } finally {
    if (operationId) ops.delete(operationId);
  }
}

export function listBundleOperations(ctx: CoreContext, incidentId?: string): BundleProgress[] {
  return [...registry(ctx).values()].filter((o) => !incidentId || o.incidentId === incidentId).map(({ controller: _c, ...rest }) => rest);
}

export function cancelBundle(ctx: CoreContext, operationId: string): boolean {
  const op = registry(ctx).get(operationId);
  if (!op) return false;
  op.controller.abort();
  return true;
}
