import type { CoreContext } from './context';
import { FirebreakError } from './errors';

/**
 * Long work started through the Api (intake, bundles, CloudTrail pulls), by an id the caller chose. The Api is
 * request/response over every transport, so the UI polls the domain's `operations` method for progress and calls its
 * `cancel`. `S` is what the domain shows of a running operation; the registry adds the means to stop it.
 */
export class OperationRegistry<S extends { operationId: string; incidentId: string | null }> {
  private readonly running = new Map<string, { state: S; controller: AbortController }>();

  /** Runs `work`; with an id it can be listed and cancelled meanwhile (an id already running is refused). */
  async run<T>(operationId: string | undefined, state: S, work: (signal: AbortSignal, state: S, abort: () => void) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (operationId) {
      if (this.running.has(operationId)) throw new FirebreakError('conflict', `Operation ${operationId} is already running.`);
      this.running.set(operationId, { state, controller });
    }
    try {
      return await work(controller.signal, state, () => controller.abort());
    } finally {
      if (operationId) this.running.delete(operationId);
    }
  }

  list(incidentId?: string): S[] {
    return [...this.running.values()].map((r) => ({ ...r.state })).filter((s) => !incidentId || s.incidentId === incidentId);
  }

  /** True when an operation with that id was running and is now told to stop. */
  cancel(operationId: string): boolean {
    const r = this.running.get(operationId);
    if (!r) return false;
    r.controller.abort();
    return true;
  }
}

/** One registry per open core, so two data directories in one process never see each other's work. */
export function registryPerCore<S extends { operationId: string; incidentId: string | null }>(): (ctx: CoreContext) => OperationRegistry<S> {
  const registries = new WeakMap<CoreContext, OperationRegistry<S>>();
  return (ctx) => {
    let r = registries.get(ctx);
    if (!r) {
      r = new OperationRegistry<S>();
      registries.set(ctx, r);
    }
    return r;
  };
}
