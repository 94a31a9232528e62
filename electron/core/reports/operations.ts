import type { BundleProgress } from '../../shared/reports';
import type { CoreContext } from '../context';
import { registryPerCore } from '../operations';

/** Bundles being written; a cancelled bundle leaves no file and records nothing. */
const registry = registryPerCore<BundleProgress>();

export interface TrackedBundle {
  signal: AbortSignal;
  onProgress: (stage: BundleProgress['stage'], done: number, total: number) => void;
}

export function trackBundle<T>(ctx: CoreContext, operationId: string | undefined, incidentId: string, work: (t: TrackedBundle) => Promise<T>): Promise<T> {
  const state: BundleProgress = { operationId: operationId ?? '', incidentId, stage: 'reports', done: 0, total: 0, startedAt: ctx.now().toISOString() };
  return registry(ctx).run(operationId, state, (signal, op) =>
    work({
      signal,
      onProgress: (stage, done, total) => {
        op.stage = stage;
        op.done = done;
        op.total = total;
      },
    }),
  );
}

export const listBundleOperations = (ctx: CoreContext, incidentId?: string): BundleProgress[] => registry(ctx).list(incidentId);

export const cancelBundle = (ctx: CoreContext, operationId: string): boolean => registry(ctx).cancel(operationId);
