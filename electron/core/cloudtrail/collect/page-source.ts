import { FirebreakError } from '../../errors';
import type { Pacing } from './collector';

/** One page of an audit-log API, as received: the body is what is kept as evidence. */
export interface ApiPage {
  body: Buffer;
  /** Where the next page starts (Azure's nextLink, GCP's nextPageToken); null on the last page. */
  next: string | null;
  records: number;
}

/**
 * What went wrong with one call: `throttle` and `retry` are waited out, `token` means the saved continuation was
 * refused (expired), `auth` and `credentials` stop the pull, `other` fails it with the service's message.
 */
export type PageFailureKind = 'throttle' | 'retry' | 'auth' | 'credentials' | 'token' | 'other';

export interface PageFailure {
  kind: PageFailureKind;
  message: string;
  /** What the service asked for (Retry-After), in milliseconds. */
  retryAfterMs: number | null;
}

/** An audit-log API that is read page by page. */
export interface PageSource {
  /** The call, for messages and evidence descriptions: "ActivityLogs.list", "entries.list". */
  readonly what: string;
  /** Fetches the page at `token` (null: the first page). Throws; `classify` says what the error means. */
  fetch(token: string | null, signal?: AbortSignal): Promise<ApiPage>;
  classify(e: unknown, token: string | null): PageFailure;
  close(): void;
}

export class PageFailed extends Error {
  constructor(readonly failure: PageFailure) {
    super(failure.message);
  }
}

const cancelled = () => new FirebreakError('cancelled', 'The pull was interrupted.');

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Settles with the promise, or rejects as cancelled the moment the signal fires (an SDK may not pass it to every request). */
export function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** Longest wait a Retry-After may impose before the pull gives up on that page (it stays resumable). */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Parses Retry-After (seconds or an HTTP date) and the millisecond variants Azure also sends. */
export function retryAfterMs(header: (name: string) => string | null | undefined, now = Date.now()): number | null {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(header(name));
    if (header(name) && Number.isFinite(v) && v >= 0) return Math.min(v, MAX_RETRY_AFTER_MS);
  }
  const v = header('retry-after');
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS) : null;
}

/**
 * Paces calls to a source and waits out throttling and server errors: the service's Retry-After when it gives one,
 * else a doubling back-off with jitter. Anything else is thrown as PageFailed; a fired signal as 'cancelled'.
 */
export class PacedSource {
  private nextAt = 0;

  constructor(
    private readonly source: PageSource,
    private readonly pacing: Pacing,
    private readonly signal: AbortSignal | undefined,
    private readonly onWait: (ms: number, why: string) => void,
  ) {}

  private async pace(): Promise<void> {
    const now = Date.now();
    const wait = this.nextAt - now;
    this.nextAt = Math.max(now, this.nextAt) + 1000 / this.pacing.requestsPerSecond;
    if (wait > 0) await sleep(wait, this.signal);
  }

  async page(token: string | null): Promise<ApiPage> {
    let attempt = 0;
    for (;;) {
      if (this.signal?.aborted) throw cancelled();
      await this.pace();
      if (this.signal?.aborted) throw cancelled();
      try {
        return await abortable(this.source.fetch(token, this.signal), this.signal);
      } catch (e) {
        if (this.signal?.aborted || (e instanceof FirebreakError && e.code === 'cancelled')) throw cancelled();
        const f = this.source.classify(e, token);
        if ((f.kind === 'throttle' || f.kind === 'retry') && attempt < this.pacing.maxRetries) {
          const ms = Math.round(f.retryAfterMs ?? this.pacing.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
          attempt++;
          this.onWait(ms, `${this.source.what}: ${f.kind === 'throttle' ? `throttled (${f.message})` : f.message}; retry ${attempt} of ${this.pacing.maxRetries}`);
          await sleep(ms, this.signal);
          continue;
        }
        throw new PageFailed(f);
      }
    }
  }
}
