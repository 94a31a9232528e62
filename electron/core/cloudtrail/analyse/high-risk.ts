import type { HighRiskRuleRef } from '../../../shared/cloudtrail';

/** A predicate over a record, as written in the table's `match` field. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { path: string; equals?: string | number | boolean; present?: boolean; endsWith?: string; nonEmpty?: boolean; notContainedInPath?: string };

/** A row of the reviewed table (validated by high-risk-load.ts when the file is read). */
export interface HighRiskRow {
  id: string;
  title: string;
  eventSource: string;
  eventNames: string[];
  condition: string;
  match: Condition | null;
  attack: string[];
  attackV19: string[];
  judgment: boolean;
  source: string;
}

export interface ValidatedTable {
  _about: string;
  events: HighRiskRow[];
}

export interface HighRiskRule extends HighRiskRuleRef {
  eventSource: string;
  eventNames: string[];
  attack: string[];
  attackV19: string[];
  test: (record: Record<string, unknown>) => boolean;
}

/** Values at a dotted path; arrays along the way are searched element by element (any element may match). */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (item !== null && typeof item === 'object' && key in (item as object)) {
          const child = (item as Record<string, unknown>)[key];
          if (child !== undefined) next.push(child);
        }
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const present = (v: unknown) => v !== null && v !== undefined;

/** CloudTrail writes some booleans and numbers as strings, so comparison is on the text form. */
const same = (a: unknown, b: string | number | boolean) => a !== null && typeof a !== 'object' && String(a) === String(b);

export function compileCondition(c: Condition): (record: Record<string, unknown>) => boolean {
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (r) => parts.every((p) => p(r));
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (r) => parts.some((p) => p(r));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (r) => !inner(r);
  }
  const { path } = c;
  return (r) => {
    const found = valuesAt(r, path).filter(present);
    if (c.present === false) return found.length === 0;
    if (found.length === 0) return false;
    if (c.nonEmpty && !found.some((v) => v !== '')) return false;
    if (c.equals !== undefined && !found.some((v) => same(v, c.equals as string | number | boolean))) return false;
    if (c.endsWith !== undefined && !found.some((v) => typeof v === 'string' && v.endsWith(c.endsWith as string))) return false;
    if (c.notContainedInPath !== undefined) {
      const haystack = valuesAt(r, c.notContainedInPath).filter((v): v is string => typeof v === 'string');
      const needles = found.filter((v): v is string => typeof v === 'string' && v.length > 0);
      if (needles.length === 0 || needles.every((n) => haystack.some((h) => h.includes(n)))) return false;
    }
    return true;
  };
}

/** Lambda logs API names with a version suffix (DeleteFunction20150331v2); the table names the API without it. */
export const baseEventName = (eventSource: string, eventName: string): string =>
  eventSource === 'lambda.amazonaws.com' ? eventName.replace(/\d{8}(v\d+)?$/, '') : eventName;

export interface HighRiskTable {
  about: string;
  rules: HighRiskRule[];
  /** The rules that may apply to an event; the caller still tests each one. */
  candidates(eventSource: string, eventName: string): HighRiskRule[] | undefined;
  /** The rules whose condition the record meets. Read-only calls are context, never findings. */
  classify(record: Record<string, unknown>, eventSource: string, eventName: string): HighRiskRule[];
}

const NONE: HighRiskRule[] = [];

/** Compiles a validated table (worker threads get it already validated, so they need no schema library). */
export function compileHighRiskTable(validated: ValidatedTable): HighRiskTable {
  // eventSource -> eventName -> rules: two lookups and no string built per record.
  const index = new Map<string, Map<string, HighRiskRule[]>>();
  const rules = validated.events.map((e): HighRiskRule => {
    const rule: HighRiskRule = {
      id: e.id,
      title: e.title,
      condition: e.condition,
      judgment: e.judgment,
      source: e.source,
      eventSource: e.eventSource,
      eventNames: e.eventNames,
      attack: e.attack,
      attackV19: e.attackV19,
      test: e.match ? compileCondition(e.match) : () => true,
    };
    let bySource = index.get(e.eventSource);
    if (!bySource) index.set(e.eventSource, (bySource = new Map()));
    for (const name of e.eventNames) bySource.set(name, [...(bySource.get(name) ?? []), rule]);
    return rule;
  });
  const candidates = (eventSource: string, eventName: string) => {
    const bySource = index.get(eventSource);
    return bySource && (bySource.get(eventName) ?? (eventSource === 'lambda.amazonaws.com' ? bySource.get(baseEventName(eventSource, eventName)) : undefined));
  };
  return {
    about: validated._about,
    rules,
    candidates,
    classify(record, eventSource, eventName) {
      const list = candidates(eventSource, eventName);
      if (!list || record.readOnly === true || record.readOnly === 'true') return NONE;
      const hits = list.filter((r) => r.test(record));
      return hits.length ? hits : NONE;
    },
  };
}

export const ruleRef = (r: HighRiskRule): HighRiskRuleRef => ({
  id: r.id,
  title: r.title,
  condition: r.condition,
  judgment: r.judgment,
  source: r.source,
});

export const attackOf = (rules: readonly HighRiskRule[]): string[] => [...new Set(rules.flatMap((r) => r.attack))].sort();
