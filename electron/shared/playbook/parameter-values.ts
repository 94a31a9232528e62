/** What a parameter value of each type must look like, checked when an incident fills a command and when lint reads examples. */
import { redactUrlSecrets, urlSecretProblem } from '../url-secrets';
import type { ParameterType } from './vocabulary';

const ARN_RE = /^arn:aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:\S+$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL_CHARS_RE = /[\u0000-\u001f\u007f]/;

/** A list value is written as items separated by commas or new lines. */
export const splitList = (value: string): string[] =>
  value
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);

/** Why a value does not fit its parameter type, or undefined when it does. */
export function checkParameterValue(type: ParameterType, value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (type !== 'list' && CONTROL_CHARS_RE.test(value)) return 'contains control characters such as a new line';
  // Quoting stops the shell, not the program: a value starting with '-' would be read as an option.
  const items = type === 'list' ? splitList(value) : [value];
  if (items.some((v) => v.startsWith('-'))) return "starts with '-', which a command would read as an option";
  // Parameters are recorded in the ledger for good: a password there could never be removed. Any type may hold a URL.
  const secret = urlSecretProblem(value);
  if (secret) {
    return `${secret}: leave it out (give it in the validation wizard, or PGPASSWORD / MYSQL_PWD for the CLI), because parameters are recorded permanently`;
  }
  switch (type) {
    case 'arn':
      return ARN_RE.test(value) ? undefined : 'is not an ARN (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE)';
    case 'datetime':
      return DATETIME_RE.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))
        ? undefined
        : 'is not an ISO 8601 date or date-time (2026-05-01 or 2026-05-01T10:39:55Z)';
    case 'aws-account-id':
      return /^\d{12}$/.test(value) ? undefined : 'is not a 12-digit AWS account id';
    case 'email':
      return EMAIL_RE.test(value) ? undefined : 'is not an email address';
    case 'url':
      return isUrl(value) ? undefined : 'is not a URL (postgres://..., mysql://..., sqlite:PATH, https://...)';
    case 'list':
      if (items.length === 0) return 'has no items (separate items with commas)';
      return items.some((v) => CONTROL_CHARS_RE.test(v)) ? 'has an item with control characters' : undefined;
    case 'string':
    case 'path':
      return undefined;
  }
}

/** The value with any URL password replaced, for messages that quote a value back. */
export const redactParameterValue = redactUrlSecrets;

function isUrl(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
