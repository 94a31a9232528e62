/**
 * IAM through @aws-sdk/client-iam: credentials from the SDK's default chain or a named profile (Firebreak never sees
 * or keeps them), the SDK's standard retry with back-off for throttling, and every response kept in the shape the AWS
 * CLI prints, ready to be evidence.
 */
import type * as IamSdk from '@aws-sdk/client-iam';
import { FirebreakError } from '../../errors';

export interface IamClientOptions {
  region: string;
  profile?: string | undefined;
  endpoint?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type Sdk = typeof IamSdk;
/** Any IAM command object; the client's own parameter type is a union too narrow for a command passed generically. */
export interface IamCommand {
  readonly input: object;
}
type Output = Record<string, unknown> & { $metadata?: unknown };

/** What the AWS CLI would print: no SDK metadata, dates as ISO text, bytes (the credential report) as base64. */
function cliShape(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(cliShape);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k, x]) => k !== '$metadata' && x !== undefined)
        .map(([k, x]) => [k, cliShape(x)]),
    );
  }
  return v;
}

const AUTH = /AccessDenied|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|NotAuthorized/;

/** Is this error IAM refusing the call (so an optional read can be skipped and said so)? */
export const isRefused = (e: unknown): boolean => e instanceof FirebreakError && e.code === 'forbidden';

export class IamReader {
  private constructor(
    private readonly client: IamSdk.IAMClient,
    readonly sdk: Sdk,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The SDK is loaded on first use, so commands that never call AWS start without it. */
  static async create(o: IamClientOptions): Promise<IamReader> {
    const sdk = await import('@aws-sdk/client-iam');
    const client = new sdk.IAMClient({
      region: o.region,
      // Standard mode retries throttling and 5xx with exponential back-off and jitter.
      maxAttempts: 5,
      retryMode: 'standard',
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    });
    return new IamReader(client, sdk, o.signal);
  }

  /** Sends a command; an error says which call failed and why, in IAM's words. */
  async send(command: IamCommand, what: string): Promise<Record<string, unknown>> {
    if (this.signal?.aborted) throw new FirebreakError('cancelled', `Cancelled before ${what}.`);
    try {
      // Every command built from this.sdk is one of the client's; the cast only widens what TypeScript can follow.
      const out = (await this.client.send(command as Parameters<IamSdk.IAMClient['send']>[0], this.signal ? { abortSignal: this.signal } : {})) as Output;
      return cliShape(out) as Record<string, unknown>;
    } catch (e) {
      const err = e as { name?: string; message?: string };
      if (this.signal?.aborted) throw new FirebreakError('cancelled', `Cancelled during ${what}.`);
      if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
        throw new FirebreakError('unavailable', `No AWS credentials: ${err.message}. Use --profile, or the SDK's default chain (environment, shared config, SSO, instance role).`);
      }
      const code = err.name ?? 'Error';
      const kind = AUTH.test(code) ? 'forbidden' : code === 'NoSuchEntity' || code === 'NoSuchEntityException' ? 'not-found' : 'unavailable';
      throw new FirebreakError(kind, `${what}: ${code}: ${err.message ?? ''}`.trim());
    }
  }

  close(): void {
    this.client.destroy();
  }
}
