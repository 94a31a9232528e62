import type { MonitorClient } from '@azure/arm-monitor';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { FirebreakError } from '../../errors';
import type { Pacing } from './collector';
import { type ApiPage, type PageFailure, type PageSource, retryAfterMs } from './page-source';

/** A credential the Azure SDK takes: DefaultAzureCredential in use, a static one in tests. */
export type AzureCredential = ConstructorParameters<typeof MonitorClient>[0];

/**
 * Azure Resource Manager allows 12,000 reads an hour per subscription and principal (about 3 a second); two a second
 * leaves room for whatever else the responder runs.
 */
export const AZURE_PACING: Pacing = { requestsPerSecond: 2, backoffMs: 1000, maxRetries: 6 };

export interface AzureSourceOptions {
  subscription: string;
  /** The OData filter: eventTimestamp window, optionally resourceGroupName and caller. */
  filter: string;
  /** Azure Resource Manager's address (default https://management.azure.com); Azure Stack Hub and tests set it. */
  endpoint?: string | undefined;
  credential?: AzureCredential | undefined;
  /** PEM certificates to trust besides Node's (a private ARM endpoint's CA). */
  ca?: string | undefined;
}

/** OData string literal: single quotes doubled. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The ActivityLogs.list filter Azure accepts: the time window first, then at most a resource group and a caller. */
export function azureFilter(start: string, end: string, resourceGroup?: string | null, caller?: string | null): string {
  return [`eventTimestamp ge ${literal(start)}`, `eventTimestamp le ${literal(end)}`, ...(resourceGroup ? [`resourceGroupName eq ${literal(resourceGroup)}`] : []), ...(caller ? [`caller eq ${literal(caller)}`] : [])].join(
    ' and ',
  );
}

const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationError', 'AuthenticationRequiredError']);
const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up/;

/**
 * Azure Monitor's activity log through `@azure/arm-monitor` (ActivityLogs.list): one request per page, the SDK's own
 * retries off so that throttling is waited out here (with Retry-After) and reported, each response body kept as received.
 */
export class AzureActivitySource implements PageSource {
  readonly what = 'ActivityLogs.list';
  private lastBody: string | null = null;

  /** The SDKs are loaded on first use: no other command loads them. */
  static async create(o: AzureSourceOptions): Promise<AzureActivitySource> {
    const { MonitorClient } = await import('@azure/arm-monitor');
    const credential = o.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
    return new AzureActivitySource(
      new MonitorClient(credential, o.subscription, {
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.ca ? { tlsOptions: { ca: o.ca } } : {}),
        retryOptions: { maxRetries: 0 },
      }),
      o,
    );
  }

  private constructor(
    private readonly client: MonitorClient,
    private readonly o: AzureSourceOptions,
  ) {
    const keep: PipelinePolicy = {
      name: 'firebreakKeepBody',
      sendRequest: async (request, next) => {
        const response = await next(request);
        this.lastBody = response.bodyAsText ?? null;
        return response;
      },
    };
    client.pipeline.addPolicy(keep);
  }

  async fetch(token: string | null, signal?: AbortSignal): Promise<ApiPage> {
    this.lastBody = null;
    const pages = this.client.activityLogs.list(this.o.filter, signal ? { abortSignal: signal } : {}).byPage(token ? { continuationToken: token } : {});
    const r = await pages.next();
    if (r.done) throw new FirebreakError('unavailable', `${this.what} for subscription ${this.o.subscription} returned no page.`);
    if (this.lastBody === null) throw new FirebreakError('unavailable', `${this.what}: the response body was not seen (an SDK change?).`);
    return { body: Buffer.from(this.lastBody, 'utf8'), next: r.value.continuationToken ?? null, records: r.value.length };
  }

  classify(e: unknown, token: string | null): PageFailure {
    const err = e as { name?: string; code?: string; message?: string; statusCode?: number; response?: { headers?: { get(n: string): string | undefined } } };
    const status = err.statusCode ?? 0;
    const message = `${err.code ?? err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}`;
    const header = (n: string) => err.response?.headers?.get(n) ?? null;
    if (status === 429) return { kind: 'throttle', message: `HTTP 429 ${err.code ?? ''}`.trim(), retryAfterMs: retryAfterMs(header) };
    if (CREDENTIAL_ERRORS.has(err.name ?? '')) return { kind: 'credentials', message, retryAfterMs: null };
    if (status === 401 || status === 403) return { kind: 'auth', message, retryAfterMs: null };
    if (status === 400 && token) return { kind: 'token', message, retryAfterMs: null };
    if (status >= 500 || NETWORK.test(`${err.code ?? ''} ${err.message ?? ''}`)) return { kind: 'retry', message, retryAfterMs: status ? retryAfterMs(header) : null };
    return { kind: 'other', message, retryAfterMs: null };
  }

  close(): void {
    // Node's agent unrefs idle keep-alive sockets: nothing here keeps the process alive.
  }
}
