/** Lint messages: where in the playbook (in the author's names) and what is wrong, from zod issues or lint rules. */
import type * as z from 'zod';
import type { Path, Target } from './yaml-locate';

export interface Finding extends Target {
  message: string;
}

/** List fields whose entries are named by their id (or name) in messages. */
const NOUNS: Record<string, string> = {
  phases: 'phase',
  steps: 'step',
  artifacts: 'evidence',
  answers: 'answer',
  parameters: 'parameter',
  attestations: 'attestation',
  escalation: 'escalation',
};

const child = (value: unknown, segment: string | number): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;

/** `phase containment > step revoke-keys > command`, from the raw YAML data. */
export function describePath(path: Path, data: unknown): string {
  const parts: string[] = [];
  let current = data;
  path.forEach((segment, i) => {
    const next = child(current, segment);
    const parent = path[i - 1];
    if (typeof segment === 'number') {
      const noun = typeof parent === 'string' ? NOUNS[parent] : undefined;
      const name = child(next, 'id') ?? child(next, 'name');
      if (noun && typeof name === 'string' && name.trim()) parts[parts.length - 1] = `${noun} ${name}`;
      else parts[parts.length - 1] = `${parts[parts.length - 1] ?? ''}[${segment}]`;
    } else {
      parts.push(segment);
    }
    current = next;
  });
  return parts.join(' > ');
}

export const valueAt = (data: unknown, path: Path): unknown => path.reduce<unknown>((v, s) => child(v, s), data);

const typeWord = (v: unknown): string => {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
};

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
};

/** Field names of the format, for "did you mean" on unknown fields. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** One zod issue as findings an author can act on. */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown, fieldNames: ReadonlySet<string>): Finding[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const value = valueAt(data, path);
  const where = (p: Path, text: string): string => {
    const context = describePath(p, data);
    return context ? `${context}: ${text}` : text;
  };
  const last = path[path.length - 1];
  const parent = path.slice(0, -1);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const guess = closest(key, fieldNames);
        return {
          path: [...path, key],
          key: true,
          message: where(path, `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`),
        };
      });
    case 'invalid_type':
      if (value === undefined && typeof last === 'string') return [{ path, message: where(parent, `missing "${last}"`) }];
      {
        // The classic YAML trap: unquoted text with ": " in it is read as a mapping.
        const hint = issue.expected === 'string' && typeWord(value) === 'a mapping' ? ' (text containing ": " must be quoted)' : '';
        return [{ path, message: where(path, `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${typeWord(value)}${hint}`) }];
      }
    case 'invalid_value':
      if (value === undefined && typeof last === 'string') {
        return [{ path, message: where(parent, `missing "${last}" (one of: ${issue.values.map(String).join(', ')})`) }];
      }
      return [{ path, message: where(path, `"${String(value)}" is not one of: ${issue.values.map(String).join(', ')}`) }];
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (value === undefined && typeof last === 'string') return [{ path, message: where(parent, `missing "${last}"`) }];
      if (Array.isArray(options) && last === 'kind') {
        return [{ path, message: where(parent, `unknown step kind "${String(value)}" (one of: ${options.join(', ')})`) }];
      }
      return [{ path, message: where(path, issue.message) }];
    }
    default:
      return [{ path, message: where(path, issue.message) }];
  }
}
