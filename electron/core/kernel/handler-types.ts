import type * as z from 'zod';
import type { MethodSpec } from '../../shared/contract/define';
import type { CallContext } from '../../shared/contract/operations';

/**
 * The handlers of one domain's contract, typed from that contract alone: the same shape ApiHandlers gives each method
 * once the domain is listed in contract/index.ts.
 */
export type HandlersOf<C extends Record<string, MethodSpec<z.ZodType, unknown, unknown>>> = {
  [M in keyof C]: (input: z.output<C[M]['input']>, call: CallContext<C[M]['progress']>) => C[M]['output'] | Promise<C[M]['output']>;
};
