import { createHash } from 'node:crypto';
import type { TableDefinition } from '../../../shared/validation';
import { canonicalJson } from '../../ledger/canonical-json';

/** sha256 of the definition's canonical JSON: equal definitions on the same engine give equal fingerprints. */
export function schemaFingerprint(def: TableDefinition): string {
  return createHash('sha256').update(canonicalJson(def), 'utf8').digest('hex');
}

const keyText = (cols: readonly string[]) => `(${cols.join(', ')})`;

/**
 * The differences between a baseline's table definition and the actual one, one readable line each.
 * Types and foreign keys are compared only when both sides come from the same engine (sameEngine), since each engine
 * spells them its own way.
 */
export function schemaDrift(before: TableDefinition, after: TableDefinition, sameEngine: boolean): string[] {
  const out: string[] = [];
  const was = new Map(before.columns.map((c, i) => [c.name, { ...c, i }]));
  const now = new Map(after.columns.map((c, i) => [c.name, { ...c, i }]));
  for (const c of before.columns) if (!now.has(c.name)) out.push(`column ${c.name} removed`);
  for (const c of after.columns) {
    const old = was.get(c.name);
    if (!old) {
      out.push(`column ${c.name} added (${c.type})`);
      continue;
    }
    if (sameEngine && old.type !== c.type) out.push(`column ${c.name}: type ${old.type} -> ${c.type}`);
    if (old.nullable !== c.nullable) out.push(`column ${c.name}: ${c.nullable ? 'now accepts NULL' : 'no longer accepts NULL'}`);
  }
  const commonBefore = before.columns.filter((c) => now.has(c.name)).map((c) => c.name);
  const commonAfter = after.columns.filter((c) => was.has(c.name)).map((c) => c.name);
  if (commonBefore.join('\u0000') !== commonAfter.join('\u0000')) out.push(`column order changed: ${commonBefore.join(', ')} -> ${commonAfter.join(', ')}`);
  if (before.primaryKey.join('\u0000') !== after.primaryKey.join('\u0000')) {
    out.push(`primary key ${before.primaryKey.length ? keyText(before.primaryKey) : 'none'} -> ${after.primaryKey.length ? keyText(after.primaryKey) : 'none'}`);
  }
  const setDiff = (label: string, a: string[], b: string[]) => {
    const sa = new Set(a);
    const sb = new Set(b);
    for (const k of a) if (!sb.has(k)) out.push(`${label} ${k} removed`);
    for (const k of b) if (!sa.has(k)) out.push(`${label} ${k} added`);
  };
  setDiff('unique key', before.uniqueKeys.map(keyText), after.uniqueKeys.map(keyText));
  const fkText = (f: TableDefinition['foreignKeys'][number]) => `${keyText(f.columns)} -> ${f.references}${keyText(f.referencedColumns)}`;
  // Engines qualify referenced tables differently (public.x vs x), so foreign keys are compared within one engine only.
  if (sameEngine) setDiff('foreign key', before.foreignKeys.map(fkText), after.foreignKeys.map(fkText));
  return out;
}
