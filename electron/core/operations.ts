import { randomBytes } from 'node:crypto';
import type { Operation } from '../shared/contract/index';
import { FirebreakError } from './errors';

interface Running {
  op: Operation;
  controller: AbortController;
}

export interface StartedOperation {
  id: string;
  signal: AbortSignal;
  progress(p: unknown): void;
  /** Removes it from the list; call when the work has ended, however it ended. */
  end(): void;
}

/**
 * The long work running in one open core, whichever method and adapter started it. The Api is request/response over
 * every transport, so callers poll `operations.list` for progress and call `operations.cancel`; the CLI also gets each
 * progress report as it comes and cancels through its own signal.
 */
export class OperationRegistry {
  private readonly running = new Map<string, Running>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * Registers work under the caller's id (refused while one with that id runs) or a made-up one. The caller's signal,
   * when it aborts, stops the work as `operations.cancel` would.
   */
  start(method: string, about: { operationId?: string | undefined; incidentId: string | null }, o: { signal?: AbortSignal | undefined; onProgress?: ((p: unknown) => void) | undefined } = {}): StartedOperation {
    const id = about.operationId ?? `op-${randomBytes(8).toString('hex')}`;
    if (this.running.has(id)) throw new FirebreakError('conflict', `Operation ${id} is already running.`);
    const controller = new AbortController();
    const op: Operation = { id, method, incidentId: about.incidentId, startedAt: this.now().toISOString(), progress: null };
    this.running.set(id, { op, controller });
    const stop = () => controller.abort();
    if (o.signal?.aborted) controller.abort();
    else o.signal?.addEventListener('abort', stop, { once: true });
    return {
      id,
      signal: controller.signal,
      progress: (p) => {
        op.progress = p;
        o.onProgress?.(p);
      },
      end: () => {
        o.signal?.removeEventListener('abort', stop);
        if (this.running.get(id)?.op === op) this.running.delete(id);
      },
    };
  }

  list(incidentId?: string): Operation[] {
    return [...this.running.values()].map((r) => ({ ...r.op })).filter((op) => !incidentId || op.incidentId === incidentId);
  }

  /** True when an operation with that id was running and is now told to stop. */
  cancel(operationId: string): boolean {
    const r = this.running.get(operationId);
    if (!r) return false;
    r.controller.abort();
    return true;
  }
}
