/** Reusable zod pieces of the playbook schema: text fields and identifiers with messages an author can act on. */
import * as z from 'zod';
import { normaliseControlId, SLUG_RE } from './ids';

/** Required text, trimmed. */
export const text = (max = 2000) => z.string().trim().min(1, 'must not be empty').max(max, `is longer than ${max} characters`);

/** A string in a given format; the message quotes the value and says what was expected. */
export const formatted = (re: RegExp, what: string) =>
  z.string().regex(re, { error: (iss) => `"${String(iss.input)}" is not ${what}` });

export const slug = (what: string) =>
  formatted(SLUG_RE, `a valid ${what} (lower-case words joined by hyphens, e.g. revoke-agent-keys)`).max(64, 'is longer than 64 characters');

/** The forms of SP 800-53 ids authors write; kept in step with ids.ts normaliseControlId. */
export const CONTROL_PATTERN = /^[A-Za-z]{2}-0*\d{1,2}(?:\s*\(0*\d{1,2}\)|\.0*\d{1,2})?$/;

/** An SP 800-53 control or enhancement, as `AC-2`, `AC-2(1)` or `ac-2.1`; parsed to the catalog id (`ac-2.1`). */
export const controlId = z
  .string()
  .regex(CONTROL_PATTERN, { error: (iss) => `"${String(iss.input)}" is not an SP 800-53 control id (AC-2, AC-2(1) or ac-2.1)` })
  .transform((raw) => normaliseControlId(raw) ?? raw)
  .meta({ description: 'SP 800-53 rev5 control or enhancement: AC-2, AC-2(1) or ac-2.1' });

export const titled = (re: RegExp, what: string) =>
  z.object({ id: formatted(re, what), title: text(300) }).strict();

/** Lists whose entries must each appear once. */
export const uniqueList = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((v, i) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${key} is listed twice` });
      seen.add(key);
    });
  });
