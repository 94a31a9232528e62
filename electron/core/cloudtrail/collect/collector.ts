import { Readable } from 'node:stream';
import type * as SdkModule from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { FirebreakError } from '../../errors';

export interface Pacing {
  /** Requests per second per region; CloudTrail allows 2 for LookupEvents. */
  requestsPerSecond: number;
  /** First back-off after a throttling or server error; doubled at each retry. */
  backoffMs: number;
  maxRetries: number;
}

export const AWS_PACING: Pacing = { requestsPerSecond: 2, backoffMs: 1000, maxRetries: 6 };

export interface RegionClientOptions {
  region: string;
  profile?: string | undefined;
  endpoint?: string | undefined;
  pacing: Pacing;
  signal?: AbortSignal | undefined;
  onWait?: (ms: number, why: string) => void;
}

export interface RawPage {
  /** The response body exactly as received: what is kept as evidence. */
  body: Buffer;
  nextToken: string | null;
  events: number;
}

type Failure = 'throttle' | 'retry' | 'auth' | 'credentials' | 'token' | 'lookup';

const THROTTLE = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const AUTH = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'AccessDeniedException',
  'AccessDenied',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'NotAuthorized',
]);
const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|TimeoutError/;

export function classifyFailure(e: unknown): Failure {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? '';
  const status = err.$metadata?.httpStatusCode ?? 0;
  if (THROTTLE.has(name) || status === 429) return 'throttle';
  if (AUTH.has(name) || status === 403) return 'auth';
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(err.message ?? '')) return 'credentials';
  if (name === 'InvalidNextTokenException') return 'token';
  if (status >= 500 || name === 'InternalFailure' || name === 'ServiceUnavailable' || NETWORK.test(`${err.code ?? ''} ${err.message ?? ''} ${name}`)) return 'retry';
  return 'lookup';
}

export class LookupFailed extends Error {
  constructor(
    readonly kind: Failure,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * One region's CloudTrail client: paces requests (2 per second by default), backs off on throttling and server
 * errors, and hands back each response's raw body. Credentials come from the SDK's default provider chain or the named
 * profile; Firebreak never sees or keeps them beyond the SDK.
 */
type Sdk = typeof SdkModule;

export class RegionClient {
  private readonly client: CloudTrailClient;
  private lastBody: Buffer | null = null;
  private nextAt = 0;

  /** The SDK is loaded on first use: commands that never call AWS (scan, import) start without it. */
  static async create(o: RegionClientOptions): Promise<RegionClient> {
    return new RegionClient(o, await import('@aws-sdk/client-cloudtrail'));
  }

  private constructor(
    private readonly o: RegionClientOptions,
    private readonly sdk: Sdk,
  ) {
    this.client = new sdk.CloudTrailClient({
      region: o.region,
      maxAttempts: 1,
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    });
    // Innermost deserialize step: sees the HTTP body before the SDK parses it, keeps a copy, and hands it on.
    this.client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const response = result.response as { body?: unknown };
        if (response?.body && typeof (response.body as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
          const chunks: Buffer[] = [];
          for await (const c of response.body as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
          this.lastBody = Buffer.concat(chunks);
          response.body = Readable.from([this.lastBody]);
        }
        return result;
      },
      { step: 'deserialize', name: 'firebreakRawBody', priority: 'low' },
    );
  }

  get region(): string {
    return this.o.region;
  }

  private async pace(): Promise<void> {
    const interval = 1000 / this.o.pacing.requestsPerSecond;
    const now = Date.now();
    const wait = this.nextAt - now;
    this.nextAt = Math.max(now, this.nextAt) + interval;
    if (wait > 0) await sleep(wait, this.o.signal);
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<{ out: T; body: Buffer }> {
    let attempt = 0;
    for (;;) {
      if (this.o.signal?.aborted) throw new FirebreakError('cancelled', 'The pull was interrupted.');
      await this.pace();
      if (this.o.signal?.aborted) throw new FirebreakError('cancelled', 'The pull was interrupted.');
      this.lastBody = null;
      try {
        const out = await send();
        return { out, body: this.lastBody ?? Buffer.from(JSON.stringify(out)) };
      } catch (e) {
        if (this.o.signal?.aborted) throw new FirebreakError('cancelled', 'The pull was interrupted.');
        const kind = classifyFailure(e);
        const msg = `${(e as Error).name ?? 'Error'}: ${(e as Error).message}`;
        if ((kind === 'throttle' || kind === 'retry') && attempt < this.o.pacing.maxRetries) {
          const ms = this.o.pacing.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
          attempt++;
          this.o.onWait?.(Math.round(ms), `${this.o.region} ${what}: ${kind === 'throttle' ? 'throttled' : msg}; retry ${attempt} of ${this.o.pacing.maxRetries}`);
          await sleep(ms, this.o.signal);
          continue;
        }
        throw new LookupFailed(kind, `${this.o.region} ${what}: ${msg}`);
      }
    }
  }

  async lookup(key: LookupAttributeKey, value: string, start: Date, end: Date, nextToken: string | null): Promise<RawPage> {
    const { out, body } = await this.call(`LookupEvents ${key}=${value}`, () =>
      this.client.send(
        new this.sdk.LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
          StartTime: start,
          EndTime: end,
          MaxResults: 50,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        this.o.signal ? { abortSignal: this.o.signal } : {},
      ),
    );
    return { body, nextToken: out.NextToken ?? null, events: out.Events?.length ?? 0 };
  }

  async listPublicKeys(start: Date, end: Date, nextToken: string | null): Promise<RawPage> {
    const { out, body } = await this.call('ListPublicKeys', () =>
      this.client.send(new this.sdk.ListPublicKeysCommand({ StartTime: start, EndTime: end, ...(nextToken ? { NextToken: nextToken } : {}) }), this.o.signal ? { abortSignal: this.o.signal } : {}),
    );
    return { body, nextToken: out.NextToken ?? null, events: out.PublicKeyList?.length ?? 0 };
  }

  destroy(): void {
    this.client.destroy();
  }
}
