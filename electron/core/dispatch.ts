import type { z } from 'zod';
import { type ApiHandlers, type ApiMethod, contract, isApiMethod } from '../shared/contract/index';
import type { Result } from '../shared/result';
import { FirebreakError } from './errors';

const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);

/**
 * The one path from any adapter into core: checks the method exists, parses the input with its zod schema, runs the
 * handler and puts the outcome in the envelope. An unexpected error is logged in full (stack) by the adapter; the caller
 * gets only its one-line message, which is what a responder needs to act (a full disk, a missing file).
 */
export async function dispatch(
  handlers: ApiHandlers,
  method: unknown,
  rawInput: unknown,
  onUnexpected: (method: string, error: unknown) => void = () => {},
): Promise<Result<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'not-found', message: `There is no Api method "${String(method)}".` } };
  }
  const parsed = contract[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad-input', message: `The input of ${method} is not valid.`, details: describeIssues(parsed.error) },
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    if (e instanceof FirebreakError) return { ok: false, error: e.toApiError() };
    onUnexpected(method, e);
    return {
      ok: false,
      error: { code: 'internal', message: `${method} failed unexpectedly: ${(e as Error)?.message ?? String(e)}` },
    };
  }
}

export type { ApiMethod };
