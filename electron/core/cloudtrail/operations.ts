import type { CloudTrailOperation } from '../../shared/cloudtrail';
import { FirebreakError } from '../errors';

type Running = CloudTrailOperation & { abort: AbortController };

/** Long CloudTrail work started through the Api, so the UI can show its progress and cancel it. */
export class Operations {
  private running = new Map<string, Running>();

  async run<T>(
    operationId: string | undefined,
    incidentId: string | null,
    kind: CloudTrailOperation['kind'],
    work: (signal: AbortSignal, progress: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    const id = operationId ?? `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    if (this.running.has(id)) throw new FirebreakError('conflict', `An operation ${id} is already running.`);
    const op: Running = { operationId: id, incidentId, kind, startedAt: new Date().toISOString(), progress: 'starting', abort: new AbortController() };
    this.running.set(id, op);
    try {
      return await work(op.abort.signal, (line) => {
        op.progress = line;
      });
    } finally {
      this.running.delete(id);
    }
  }

  list(incidentId?: string): CloudTrailOperation[] {
    return [...this.running.values()]
      .filter((o) => !incidentId || o.incidentId === incidentId)
      .map(({ abort: _a, ...o }) => o);
  }

  cancel(operationId: string): boolean {
    const op = this.running.get(operationId);
    if (!op) return false;
    op.abort.abort();
    return true;
  }
}
