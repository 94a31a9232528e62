import { isIP } from 'node:net';
import type { PersonalCategory } from '../../../shared/row-diff';

/**
 * What a column may hold, from its name and its values. Values are looked at here and never leave: callers get a
 * category and counts. The categories feed the escalation question "did the loss touch PII, PHI or financial data?".
 */

export type DataClass = 'PII' | 'PHI' | 'financial';

export const CLASS_OF: Record<PersonalCategory, DataClass> = {
  email: 'PII',
  phone: 'PII',
  'person-name': 'PII',
  'postal-address': 'PII',
  'national-id': 'PII',
  'date-of-birth': 'PII',
  'ip-address': 'PII',
  'payment-card': 'financial',
  iban: 'financial',
  health: 'PHI',
};

/** Tables whose rows are people: there a bare "name" column is a person's name (elsewhere a track's or a product's). */
export const PERSON_TABLE = /(^|_)(customers?|employees?|users?|persons?|people|patients?|contacts?|staff|members?|clients?|accounts?|actors?|authors?)$/;

/** Column names, normalised to snake_case lower case: CustomerId -> customer_id, "E-Mail" -> e_mail. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}

const NAME_RULES: Array<[PersonalCategory, RegExp]> = [
  ['email', /(^|_)e_?mail(_|$)|(^|_)email_?address/],
  ['phone', /(^|_)(phone|mobile|telephone|tel|fax|cell|msisdn)(_|$)/],
  ['person-name', /(^|_)(first|last|middle|given|family|full|sur|maiden|contact|customer|patient|employee)_?name$|^(forename|surname)$/],
  ['postal-address', /(^|_)(address|street|postal_?code|zip|zip_?code|postcode)(_?\d)?$|(^|_)address(_|$)/],
  ['national-id', /(^|_)(ssn|social_security(_number)?|national_id|passport(_no|_number)?|tax_id|tin|nino|sin)(_|$)/],
  ['date-of-birth', /(^|_)(dob|birth_?date|date_of_birth|birthday|birth)(_|$)/],
  ['ip-address', /(^|_)(ip|ip_?addr(ess)?|client_ip|remote_addr|source_ip)(_|$)/],
  ['payment-card', /(^|_)(card_?(number|no|num)|credit_?card|cc_?(number|num)|pan)(_|$)/],
  ['iban', /(^|_)(iban|bank_account(_number)?|account_number)(_|$)/],
  ['health', /(^|_)(diagnos[ie]s|diagnosis_code|medical|health|prescription|medication|allerg(y|ies)|icd(10)?|treatment|condition|blood_type)(_|$)/],
];

export function categoriesFromName(column: string, table: string): PersonalCategory[] {
  const c = normaliseName(column);
  const out = NAME_RULES.filter(([, re]) => re.test(c)).map(([cat]) => cat);
  if (c === 'name' && PERSON_TABLE.test(normaliseName(table)) && !out.includes('person-name')) out.push('person-name');
  return out;
}

/** The Luhn check digit test of payment card numbers. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: the country code and check digits moved to the end, letters as 10..35, the number mod 97 is 1. */
export function ibanValid(raw: string): boolean {
  const s = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;
// US SSN as written with dashes (bare nine digits are too often something else); never 000, 666 or 9xx areas.
const SSN = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const PHONE = /^\+?[\d\s().\-/]{7,24}$/;
const HEALTH_TERMS =
  /\b(diabetes|hypertension|asthma|cancer|carcinoma|hiv|aids|hepatitis|depression|anxiety|schizophrenia|pregnan\w*|covid|tuberculosis|epilepsy|dementia|alzheimer\w*|insulin|chemotherapy|allergy|allergic)\b/i;
// ICD-10 codes (A00-Z99 with an optional subcode; U is reserved).
const ICD10 = /^[A-TV-Z]\d{2}(\.\d{1,4})?$/;

function cardNumber(v: string): boolean {
  if (!/^[\d\s-]{13,23}$/.test(v)) return false;
  const digits = v.replace(/[\s-]/g, '');
  return digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && luhn(digits);
}

// Shapes that look like digits with separators but are not phone numbers: SSNs, dates, IPv4 addresses.
const NOT_PHONE = /^\d{3}-\d{2}-\d{4}$|^\d{4}-\d{2}-\d{2}|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{1,3}(\.\d{1,3}){3}$/;

function phoneNumber(v: string): boolean {
  if (!PHONE.test(v) || NOT_PHONE.test(v)) return false;
  const digits = v.replace(/\D/g, '').length;
  // A bare run of digits is an id or an amount more often than a phone number.
  return digits >= 7 && digits <= 15 && /[+\s().\-/]/.test(v.trim());
}

const VALUE_RULES: Array<[PersonalCategory, (v: string) => boolean]> = [
  ['email', (v) => EMAIL.test(v)],
  ['national-id', (v) => SSN.test(v)],
  ['payment-card', cardNumber],
  ['iban', ibanValid],
  ['ip-address', (v) => isIP(v) !== 0],
  ['phone', phoneNumber],
  ['health', (v) => ICD10.test(v) || HEALTH_TERMS.test(v)],
];

/** Per category, how many of the given (non-null, trimmed) values match it. */
export function matchValues(values: readonly string[]): Map<PersonalCategory, number> {
  const out = new Map<PersonalCategory, number>();
  for (const raw of values) {
    const v = raw.trim();
    if (!v || v.length > 200) continue;
    for (const [cat, test] of VALUE_RULES) if (test(v)) out.set(cat, (out.get(cat) ?? 0) + 1);
  }
  return out;
}
