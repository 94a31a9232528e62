import type * as z from 'zod';
import { type ApiHandlers, type ApiMethod, type CallContext, type CallOptions, contract, isApiMethod } from '../shared/contract/index';
import type { Result } from '../shared/result';
import { FirebreakError } from './errors';
import type { OperationRegistry, StartedOperation } from './operations';
import { BUSY_TIMEOUT_MS } from './store/database';
import type { RecordState } from './store/record-state';

/** One call into core, as every adapter makes it. */
export type CoreCall = (method: string, input: unknown, options?: CallOptions) => Promise<Result<unknown>>;

export interface DispatchTarget {
  handlers: ApiHandlers;
  operations: OperationRegistry;
  /** Read before and after each mutation. */
  recordState: () => RecordState;
  /** Told about an unexpected error in full (stack); the caller gets its one-line message. */
  onUnexpected?: (method: string, error: unknown) => void;
}

const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);

const NEVER_ABORTED = new AbortController().signal;

/** The incident long work is about: its input's `incidentId`, or `id` (the reports and sign-off methods). */
function incidentOf(input: unknown): string | null {
  const i = input as { incidentId?: unknown; id?: unknown };
  if (typeof i.incidentId === 'string') return i.incidentId;
  return typeof i.id === 'string' ? i.id : null;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/**
 * The one path from any adapter into core: checks the method exists, parses the input with its zod schema, runs the
 * handler (long work as an operation that can be listed and cancelled) and puts the outcome in the envelope.
 *
 * A mutation must leave a ledger entry: one that changed the database without appending to the ledger is an internal
 * error naming the method. One that changed nothing at all (linking what is already linked, the marking it already
 * has) may record nothing; that is how the domains treat a request that changes nothing.
 */
export function createDispatch(target: DispatchTarget): CoreCall {
  return async (method, rawInput, options = {}) => {
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'not-found', message: `There is no Api method "${String(method)}".` } };
    }
    const spec = contract[method];
    if (spec.body === 'stream' && !options.body) {
      return { ok: false, error: { code: 'bad-input', message: `${method} takes the file's bytes as a streamed body (an HTTP upload).` } };
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'bad-input', message: `The input of ${method} is not valid.`, details: describeIssues(parsed.error) },
      };
    }
    const handler = target.handlers[method] as (input: unknown, call: CallContext) => unknown;
    const body = spec.body === 'stream' && options.body ? { body: options.body } : {};
    let started: StartedOperation | null;
    try {
      started = spec.long
        ? target.operations.start(method, { operationId: (parsed.data as { operationId?: string }).operationId, incidentId: incidentOf(parsed.data) }, options)
        : null;
    } catch (e) {
      return { ok: false, error: (e as FirebreakError).toApiError() };
    }
    const call: CallContext = started
      ? { signal: started.signal, progress: started.progress, ...body }
      : { signal: options.signal ?? NEVER_ABORTED, progress: (p) => options.onProgress?.(p), ...body };
    const before = spec.kind === 'mutation' ? target.recordState() : null;
    try {
      const returned = handler(parsed.data, call);
      // A synchronous handler is measured before anything else can run; an async one after it settles.
      const value = isThenable(returned) ? await returned : returned;
      if (before) assertRecorded(method, before, target.recordState());
      return { ok: true, value };
    } catch (e) {
      if (e instanceof FirebreakError) return { ok: false, error: e.toApiError() };
      if (isBusy(e)) return { ok: false, error: busy(method).toApiError() };
      target.onUnexpected?.(method, e);
      return {
        ok: false,
        error: { code: 'internal', message: `${method} failed unexpectedly: ${(e as Error)?.message ?? String(e)}` },
      };
    } finally {
      started?.end();
    }
  };
}

/** SQLite gave up waiting for the write lock (SQLITE_BUSY and its extended codes): a state, not a defect. */
const isBusy = (e: unknown): boolean => String((e as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

const busy = (method: ApiMethod) =>
  new FirebreakError(
    'unavailable',
    `Another Firebreak process (the app or a command) held the database for over ${BUSY_TIMEOUT_MS / 1000} s, so ${method} ` +
      'changed nothing. Try again when that work has finished.',
  );

function assertRecorded(method: ApiMethod, before: RecordState, after: RecordState): void {
  if (after.ledgerEntries !== before.ledgerEntries || after.rowChanges === before.rowChanges) return;
  const rows = after.rowChanges - before.rowChanges;
  throw new FirebreakError(
    'internal',
    `${method} changed the case record without a ledger entry (${rows} row${rows === 1 ? '' : 's'} changed): every change must append its entry in the same transaction.`,
  );
}
