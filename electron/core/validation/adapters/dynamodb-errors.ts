import { FirebreakError } from '../../errors';
import { cancelledError } from './adapter';

/** Throttling and transient failures DynamoDB asks clients to retry with back-off. */
const RETRY = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);
const NETWORK = /ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|TimeoutError/;
const AUTH = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'AccessDeniedException', 'MissingAuthenticationTokenException']);

export interface RetryPolicy {
  retries: number;
  /** First back-off; doubled at each retry, with full jitter, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DYNAMO_RETRY: RetryPolicy = { retries: 10, baseDelayMs: 50, maxDelayMs: 5000 };

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * One DynamoDB request with the retries DynamoDB expects: throttling and server errors back off exponentially and go
 * again; anything else becomes a FirebreakError naming what was being done. Cancellation aborts the request in flight.
 */
export async function dynamoCall<T>(what: string, send: (abortSignal: AbortSignal | undefined) => Promise<T>, signal?: AbortSignal, policy: RetryPolicy = DYNAMO_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    if (signal?.aborted) throw cancelledError();
    try {
      return await send(signal);
    } catch (e) {
      if (signal?.aborted) throw cancelledError();
      const err = e as SdkError;
      const name = err.name ?? '';
      const status = err.$metadata?.httpStatusCode ?? 0;
      const transient = RETRY.has(name) || status >= 500 || NETWORK.test(`${err.code ?? ''} ${err.message ?? ''} ${name}`);
      if (transient && attempt < policy.retries) {
        await sleep(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt), signal);
        continue;
      }
      throw dynamoFailure(what, err, transient ? attempt : 0);
    }
  }
}

function dynamoFailure(what: string, err: SdkError, retried: number): FirebreakError {
  const name = err.name ?? 'Error';
  const message = err.message ?? String(err);
  if (name === 'ResourceNotFoundException') return new FirebreakError('not-found', `${what}: the table does not exist (${message}).`);
  if (AUTH.has(name) || err.$metadata?.httpStatusCode === 403) {
    return new FirebreakError('unavailable', `${what}: DynamoDB refused the credentials or the permission (${name}: ${message}).`, [
      'Firebreak uses the AWS default credential chain; choose a profile with ?profile=NAME and check it may call dynamodb:ListTables, DescribeTable and Scan.',
    ]);
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new FirebreakError('unavailable', `${what}: no AWS credentials were found (${message}).`, [
      'Set AWS_PROFILE or give ?profile=NAME, or sign in with aws sso login; Firebreak never takes keys in the URL.',
    ]);
  }
  if (/ECONNREFUSED|ENOTFOUND/.test(`${err.code ?? ''} ${message}`)) return new FirebreakError('unavailable', `${what}: DynamoDB cannot be reached (${message}).`);
  return new FirebreakError('unavailable', `${what} failed${retried ? ` after ${retried} retries` : ''}: ${name}: ${message}`);
}
