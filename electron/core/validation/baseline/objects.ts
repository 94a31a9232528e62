import { createHash } from 'node:crypto';
import type { DbObjectBaseline, DbObjectComparison, DbObjectKind } from '../../../shared/validation';
import type { DbObjectDefinition, TargetAdapter } from '../adapters/adapter';

/**
 * Views, routines, triggers and sequences in baselines and compares. Each is kept as a hash of its normalised
 * definition: a `DROP ... CASCADE` that takes views with a table, a trigger the agent added, or a function it rewrote
 * shows up as missing, extra or changed, without the baseline holding the code itself.
 */

const KIND_ORDER: DbObjectKind[] = ['view', 'materialized-view', 'function', 'procedure', 'trigger', 'sequence'];

/** Runs of white space become one space and a final `;` goes: dumps and tools re-indent bodies freely. */
export function normaliseDefinition(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\s*;$/, '');
}

export const definitionSha256 = (text: string) => createHash('sha256').update(normaliseDefinition(text), 'utf8').digest('hex');

const key = (o: { kind: DbObjectKind; name: string }) => `${o.kind}\u0000${o.name}`;

function byKindAndName<T extends { kind: DbObjectKind; name: string }>(a: T, b: T): number {
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  return k !== 0 ? k : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function objectBaselines(defs: readonly DbObjectDefinition[]): DbObjectBaseline[] {
  return defs.map((d) => ({ kind: d.kind, name: d.name, table: d.table, definitionSha256: definitionSha256(d.definition) })).sort(byKindAndName);
}

/** The target's objects, or null when its adapter cannot list them. */
export async function captureObjects(adapter: TargetAdapter, schemas: readonly string[] | null): Promise<DbObjectBaseline[] | null> {
  if (!adapter.listObjects) return null;
  return objectBaselines(await adapter.listObjects(schemas));
}

export function compareObjects(baseline: readonly DbObjectBaseline[], actual: readonly DbObjectBaseline[]): DbObjectComparison[] {
  const now = new Map(actual.map((o) => [key(o), o]));
  const out: DbObjectComparison[] = [];
  for (const b of baseline) {
    const a = now.get(key(b));
    now.delete(key(b));
    const status = !a ? 'missing' : a.definitionSha256 === b.definitionSha256 ? 'match' : 'changed';
    out.push({ kind: b.kind, name: b.name, table: b.table, status, baselineSha256: b.definitionSha256, actualSha256: a?.definitionSha256 ?? null });
  }
  for (const a of now.values()) out.push({ kind: a.kind, name: a.name, table: a.table, status: 'extra', baselineSha256: null, actualSha256: a.definitionSha256 });
  return out.sort(byKindAndName);
}

const KIND_WORDS: Record<DbObjectKind, [string, string]> = {
  view: ['view', 'views'],
  'materialized-view': ['materialized view', 'materialized views'],
  function: ['function', 'functions'],
  procedure: ['procedure', 'procedures'],
  trigger: ['trigger', 'triggers'],
  sequence: ['sequence', 'sequences'],
};

export const kindWord = (kind: DbObjectKind, n = 1) => KIND_WORDS[kind][n === 1 ? 0 : 1];

/** "3 views missing (public.a, public.b, public.c); 1 trigger extra (t_ins)"; empty when every object matches. */
export function objectDifferences(objects: readonly DbObjectComparison[]): string {
  const groups = new Map<string, DbObjectComparison[]>();
  for (const o of objects) {
    if (o.status === 'match') continue;
    const g = `${o.kind}\u0000${o.status}`;
    groups.set(g, [...(groups.get(g) ?? []), o]);
  }
  return [...groups.values()]
    .map((list) => {
      const first = list[0] as DbObjectComparison;
      const names = list.slice(0, 5).map((o) => o.name).join(', ');
      return `${list.length} ${kindWord(first.kind, list.length)} ${first.status} (${names}${list.length > 5 ? `, and ${list.length - 5} more` : ''})`;
    })
    .join('; ');
}
