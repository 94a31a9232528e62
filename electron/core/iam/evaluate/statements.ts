/**
 * Policy statements in one shape, with their wildcard matchers compiled once. IAM matches actions case-insensitively
 * and resources case-sensitively; `*` is any run of characters and `?` one character in both.
 */
import { badInput } from '../../errors';

export interface Statement {
  /** Where it comes from, for messages: "inline policy X of role Y", "SCP Z". */
  source: string;
  effect: 'Allow' | 'Deny';
  /** Action or NotAction patterns; `not` inverts. */
  actions: { not: boolean; patterns: string[]; match: (action: string) => boolean; serviceHint: Set<string> | null };
  resources: { not: boolean; patterns: string[] };
  /** "StringEquals aws:RequestedRegion = us-east-1; ..." or null when the statement has no Condition. */
  condition: string | null;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

export function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

export const matchesResource = (pattern: string, arn: string): boolean => pattern === '*' || wildcard(pattern, false).test(arn);

function actionMatcher(patterns: string[]): { match: (a: string) => boolean; serviceHint: Set<string> | null } {
  const exact = new Set<string>();
  const regexes: RegExp[] = [];
  let all = false;
  // The services the patterns can match, so callers test only those; null when a pattern's service is itself a wildcard.
  let services: Set<string> | null = new Set<string>();
  for (const p of patterns) {
    if (p === '*') all = true;
    else if (/[*?]/.test(p)) regexes.push(wildcard(p, true));
    else exact.add(p.toLowerCase());
    const colon = p.indexOf(':');
    if (colon > 0 && !/[*?]/.test(p.slice(0, colon))) services?.add(p.slice(0, colon).toLowerCase());
    else services = null;
  }
  return {
    match: (a) => all || exact.has(a.toLowerCase()) || regexes.some((r) => r.test(a)),
    serviceHint: services,
  };
}

function conditionText(c: unknown): string | null {
  if (c === undefined || c === null) return null;
  if (typeof c !== 'object' || Array.isArray(c)) return JSON.stringify(c);
  const parts: string[] = [];
  for (const [op, keys] of Object.entries(c as Record<string, unknown>)) {
    if (keys && typeof keys === 'object' && !Array.isArray(keys)) {
      for (const [key, value] of Object.entries(keys as Record<string, unknown>)) parts.push(`${op} ${key} = ${list(value).join(' | ')}`);
    } else parts.push(`${op} ${JSON.stringify(keys)}`);
  }
  return parts.length ? parts.join('; ') : null;
}

/** The statements of one policy document; a statement IAM would reject is refused with where it is. */
export function statementsOf(document: unknown, source: string): Statement[] {
  const doc = document as { Statement?: unknown } | null;
  const raw = doc?.Statement;
  const all = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  return all.map((s, i) => {
    const st = (s ?? {}) as Record<string, unknown>;
    const where = `${source}, statement ${typeof st.Sid === 'string' && st.Sid ? st.Sid : i + 1}`;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw badInput(`${where}: Effect must be Allow or Deny, not ${JSON.stringify(st.Effect)}.`);
    const notAction = st.NotAction !== undefined;
    const patterns = list(notAction ? st.NotAction : st.Action);
    if (patterns.length === 0) throw badInput(`${where}: neither Action nor NotAction.`);
    const m = actionMatcher(patterns);
    const notResource = st.NotResource !== undefined;
    // A statement without Resource is only valid in trust and resource policies; identity policies need one. Treat as "*" and say so nowhere else.
    const resources = list(notResource ? st.NotResource : (st.Resource ?? '*'));
    return {
      source,
      effect: st.Effect,
      actions: { not: notAction, patterns, match: m.match, serviceHint: notAction ? null : m.serviceHint },
      resources: { not: notResource, patterns: resources },
      condition: conditionText(st.Condition),
    };
  });
}

export const statementMatchesAction = (s: Statement, action: string): boolean => s.actions.match(action) !== s.actions.not;

/** The resources a statement covers, as patterns: its Resource list, or "* except ..." for NotResource. */
export const resourceScope = (s: Statement): string[] => (s.resources.not ? [`* except ${s.resources.patterns.join(', ')}`] : s.resources.patterns);

export const coversAllResources = (s: Statement): boolean => !s.resources.not && s.resources.patterns.includes('*');
