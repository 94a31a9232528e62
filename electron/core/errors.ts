import type { ApiError, ErrorCode } from '../shared/result';

/** An error meant for the responder: its message says what is wrong and where. */
export class FirebreakError extends Error {
  readonly code: ErrorCode;
  readonly details: string[] | undefined;

  constructor(code: ErrorCode, message: string, details?: string[]) {
    super(message);
    this.name = 'FirebreakError';
    this.code = code;
    this.details = details;
  }

  toApiError(): ApiError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export const badInput = (message: string, details?: string[]) => new FirebreakError('bad-input', message, details);
export const notFound = (message: string) => new FirebreakError('not-found', message);
