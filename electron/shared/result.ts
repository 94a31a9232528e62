/** The envelope every Api call returns, whatever the transport (IPC, HTTP, in-process). */
export type ErrorCode =
  | 'bad-input'
  | 'not-found'
  | 'conflict'
  | 'no-operator'
  | 'gate-not-met'
  | 'check-failed'
  | 'cancelled'
  | 'unavailable'
  /** Refused before the input was looked at: an untrusted IPC frame, a missing token, a method this transport does not carry. */
  | 'forbidden'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  /** One sentence a responder can act on: what is wrong and where. */
  message: string;
  /** Further lines, e.g. one per invalid field or per missing gate item. */
  details?: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ApiError): Result<never> => ({ ok: false, error });
