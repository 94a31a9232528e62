import * as z from 'zod';

/**
 * What a call does to the case record:
 * - `query` reads and changes nothing;
 * - `action` changes nothing the record holds: it stops work (which records itself when it ends), or works on files and
 *   databases outside the record that the caller named;
 * - `mutation` changes the record and appends its ledger entry in the same transaction. Dispatch fails a mutation that
 *   changed the database without a new ledger entry.
 * The HTTP server applies its state-changing checks to everything but queries.
 */
export type MethodKind = 'query' | 'action' | 'mutation';

export interface MethodOptions {
  /**
   * Long work run as an operation: listed by `operations.list` with its latest progress, stopped by `operations.cancel`
   * (the handler honours its signal). The input may carry the `operationId` the caller wants to watch it by.
   */
  long?: true;
  /** The input travels beside a streamed body (an upload); the HTTP server takes the input from the `input` query parameter. */
  body?: 'stream';
  /** Only the CLI, in its own process, may call it: it writes a file at a path the caller names. IPC and HTTP refuse it. */
  local?: true;
}

export interface MethodSpec<I extends z.ZodType, O, P = never> {
  input: I;
  kind: MethodKind;
  long: boolean;
  body: 'none' | 'stream';
  local: boolean;
  /** Phantom: types the result, never read at run time. */
  output: O;
  /** Phantom: what the handler reports as progress (never: it reports none). */
  progress: P;
}

/**
 * The input schema is built the first time it is read: building every method's schema costs some 35 ms at each start,
 * and a CLI process calls one method.
 */
const spec =
  <O, P>(kind: MethodKind) =>
  <I extends z.ZodType>(input: () => I, o: MethodOptions = {}): MethodSpec<I, O, P> => {
    let built: I | undefined;
    return {
      get input() {
        built ??= input();
        return built;
      },
      kind,
      long: o.long ?? false,
      body: o.body ?? 'none',
      local: o.local ?? false,
      output: undefined as O,
      progress: undefined as P,
    };
  };

/** `method<Output, Progress>().query(() => () => inputSchema, options?)`, `.action(...)` or `.mutation(...)`. */
export const method = <O, P = never>() => ({ query: spec<O, P>('query'), action: spec<O, P>('action'), mutation: spec<O, P>('mutation') });

/** Required, trimmed text with a readable message naming the field. */
export const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is longer than ${max} characters`);

export const noInput = z.object({}).strict();

export const incidentId = z.string().regex(/^IR-\d{4}-\d{4,}$/, 'an incident id looks like IR-2026-0001');

/** A ledger scope: an incident id or 'system'. */
export const scope = z.union([incidentId, z.literal('system')]);

/** Chosen by the caller of long work, to watch it with operations.list and stop it with operations.cancel. */
export const operationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an operation id is 8-64 letters, digits, - or _');

/** An AWS-compatible endpoint (tests, VPC endpoints): https, or plain http only on this machine; never with credentials in it. */
export const awsEndpoint = z
  .url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' })
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'endpoint must not carry credentials (they would be recorded)')
  .refine(
    (u) => u.startsWith('https://') || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
    'endpoint must be https (plain http is accepted only on this machine, for tests)',
  );
