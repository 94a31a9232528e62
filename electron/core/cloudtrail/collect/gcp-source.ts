import type { Readable } from 'node:stream';
import type { logging_v2 } from '@googleapis/logging';
import { FirebreakError } from '../../errors';
import type { Pacing } from './collector';
import { type ApiPage, type PageFailure, type PageSource, retryAfterMs } from './page-source';

/** What the Google client takes as credentials: application default credentials in use, a token-only client in tests. */
export type GcpAuth = NonNullable<logging_v2.Options['auth']>;

/** Cloud Logging allows 60 entries.list calls a minute per project: one a second. */
export const GCP_PACING: Pacing = { requestsPerSecond: 1, backoffMs: 2000, maxRetries: 6 };

/** The most entries one page may hold (Cloud Logging's limit). */
const PAGE_SIZE = 1000;
const READ_SCOPE = 'https://www.googleapis.com/auth/logging.read';

export interface GcpSourceOptions {
  project: string;
  filter: string;
  /** Cloud Logging's address (default https://logging.googleapis.com/); tests set it. */
  endpoint?: string | undefined;
  auth?: GcpAuth | undefined;
}

/** A Logging query language string: backslashes and double quotes escaped. */
const quoted = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Cloud Audit Logs of every kind (activity, data access, system event, policy) in the window, optionally of one principal. */
export function gcpFilter(start: string, end: string, principal?: string | null): string {
  return [
    'logName:"cloudaudit.googleapis.com"',
    `timestamp>=${quoted(start)}`,
    `timestamp<=${quoted(end)}`,
    ...(principal ? [`protoPayload.authenticationInfo.principalEmail=${quoted(principal)}`] : []),
  ].join(' AND ');
}

/** Google's error body, `{"error": {"code", "message", "status"}}`, from a parsed body or the text the client put in its message. */
function googleError(v: unknown): { code: number; status: string; message: string } | null {
  let body = v;
  if (typeof v === 'string') {
    try {
      body = JSON.parse(v);
    } catch {
      return null;
    }
  }
  const error = (body as { error?: { code?: unknown; status?: unknown; message?: unknown } } | null)?.error;
  return error && typeof error.status === 'string' ? { code: Number(error.code) || 0, status: error.status, message: String(error.message ?? '') } : null;
}

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up/;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

/**
 * Cloud Logging `entries.list` through `@googleapis/logging` (REST over HTTPS, no gRPC): one request per page, the
 * client's own retries off so that RESOURCE_EXHAUSTED is waited out here and reported, each body kept as received.
 */
export class GcpLoggingSource implements PageSource {
  readonly what = 'entries.list';

  /** The client is loaded on first use: no other command loads it. */
  static async create(o: GcpSourceOptions): Promise<GcpLoggingSource> {
    const google = await import('@googleapis/logging');
    const auth = o.auth ?? new google.auth.GoogleAuth({ scopes: [READ_SCOPE] });
    const rootUrl = o.endpoint ? (o.endpoint.endsWith('/') ? o.endpoint : `${o.endpoint}/`) : undefined;
    return new GcpLoggingSource(google.logging({ version: 'v2', auth, ...(rootUrl ? { rootUrl } : {}) }), o);
  }

  private constructor(
    private readonly client: logging_v2.Logging,
    private readonly o: GcpSourceOptions,
  ) {}

  async fetch(token: string | null, signal?: AbortSignal): Promise<ApiPage> {
    const res = await this.client.entries.list(
      {
        requestBody: { resourceNames: [`projects/${this.o.project}`], filter: this.o.filter, orderBy: 'timestamp asc', pageSize: PAGE_SIZE, ...(token ? { pageToken: token } : {}) },
      },
      { responseType: 'stream', retry: false, ...(signal ? { signal } : {}) },
    );
    const body = await bytesOf(res.data);
    let parsed: { entries?: unknown[]; nextPageToken?: string };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch (e) {
      throw new FirebreakError('unavailable', `${this.what} for project ${this.o.project} answered with something other than JSON (${(e as Error).message}).`);
    }
    return { body, next: parsed.nextPageToken || null, records: Array.isArray(parsed.entries) ? parsed.entries.length : 0 };
  }

  classify(e: unknown, token: string | null): PageFailure {
    const err = e as { name?: string; code?: string | number; message?: string; status?: number; response?: { status?: number; headers?: unknown; data?: unknown } };
    const status = err.status ?? err.response?.status ?? 0;
    const api = googleError(err.response?.data) ?? googleError(err.message);
    const message = api ? `${api.status} (HTTP ${status || api.code}): ${api.message}` : `${err.code ?? err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}`;
    const headers = err.response?.headers;
    const header = (n: string): string | null =>
      headers instanceof Headers ? headers.get(n) : headers && typeof headers === 'object' ? ((headers as Record<string, string | undefined>)[n] ?? null) : null;
    if (status === 429 || api?.status === 'RESOURCE_EXHAUSTED') return { kind: 'throttle', message: `HTTP ${status || 429} RESOURCE_EXHAUSTED`, retryAfterMs: retryAfterMs(header) };
    if (/Could not load the default credentials|Could not refresh access token|invalid_grant|ENOENT.*json/i.test(err.message ?? '')) return { kind: 'credentials', message, retryAfterMs: null };
    if (status === 401 || status === 403) return { kind: 'auth', message, retryAfterMs: null };
    if (status === 400 && token) return { kind: 'token', message, retryAfterMs: null };
    if (status >= 500 || NETWORK.test(`${String(err.code ?? '')} ${err.message ?? ''}`)) return { kind: 'retry', message, retryAfterMs: null };
    return { kind: 'other', message, retryAfterMs: null };
  }

  close(): void {
    // Nothing is held between requests.
  }
}
