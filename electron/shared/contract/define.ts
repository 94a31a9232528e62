import { z } from 'zod';

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Mutations change state (and so write the ledger); the HTTP server checks Origin on them. */
  kind: 'query' | 'mutation';
  /** Phantom: types the result, never read at run time. */
  output: O;
}

/** `method<Output>().query(inputSchema)` or `.mutation(inputSchema)`. */
export const method = <O>() => ({
  query: <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input, kind: 'query', output: undefined as O }),
  mutation: <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input, kind: 'mutation', output: undefined as O }),
});

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
