import type { CloudTrailOperation } from '../../shared/cloudtrail';
import { OperationRegistry } from '../operations';

/** Long CloudTrail work started through the Api (scan, import, pull, monitoring), so the UI can show it and cancel it. */
export class Operations {
  private readonly registry = new OperationRegistry<CloudTrailOperation>();

  run<T>(
    operationId: string | undefined,
    incidentId: string | null,
    kind: CloudTrailOperation['kind'],
    work: (signal: AbortSignal, progress: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    // Always listed: an id is made up when the caller gave none.
    const id = operationId ?? `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const state: CloudTrailOperation = { operationId: id, incidentId, kind, startedAt: new Date().toISOString(), progress: 'starting' };
    return this.registry.run(id, state, (signal, op) =>
      work(signal, (line) => {
        op.progress = line;
      }),
    );
  }

  list = (incidentId?: string): CloudTrailOperation[] => this.registry.list(incidentId);
  cancel = (operationId: string): boolean => this.registry.cancel(operationId);
}
