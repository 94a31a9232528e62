import * as z from 'zod';
import { incidentId, method, operationId } from './define';

/** Long work running now (a method declared `long`), as `operations.list` shows it. */
export interface Operation<P = unknown> {
  id: string;
  /** The Api method doing the work. */
  method: string;
  /** The incident it works on (the input's `incidentId` or `id`); null for work outside incidents, e.g. a scan. */
  incidentId: string | null;
  startedAt: string;
  /** The latest progress the handler reported; null before the first. */
  progress: P | null;
}

/** The bytes of an upload, read once as they arrive. */
export interface StreamBody {
  stream: AsyncIterable<Uint8Array>;
  /** The byte count the sender announced (Content-Length); a body that ends short of it is refused. */
  length?: number;
}

/** What an adapter passes along with a call: the user's cancel, a listener for progress, an upload's bytes. */
export interface CallOptions<P = unknown> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
  body?: StreamBody;
}

/** The second argument of every handler. */
export interface CallContext<P = unknown> {
  /** Aborted when the caller cancels (operations.cancel, Ctrl-C, a closed connection). */
  signal: AbortSignal;
  progress(p: P): void;
  /** Present exactly for methods whose body is a stream. */
  body?: StreamBody;
}

export const operationsContract = {
  /** Long work running now (intakes, imports, pulls, scans, bundles), with its latest progress; poll it. */
  'operations.list': method<Operation[]>().query(() => z.object({ incidentId: incidentId.optional() }).strict()),
  /**
   * Tells a running operation to stop. What it had recorded stays; each method says what a cancel leaves (an intake or
   * a bundle leaves nothing, a pull resumes on the next pull). Nothing is recorded for the cancel itself.
   */
  'operations.cancel': method<{ cancelled: boolean }>().action(() => z.object({ operationId }).strict()),
};
