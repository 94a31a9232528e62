import type { ClassifiedColumn, ClassifiedTable, ClassifyResult } from '../../../shared/row-diff';
import type { TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import type { RowAdapter, TableRef } from '../adapters/adapter';
import { redactSecrets } from '../adapters/target-url';
import { matchKey, resolveTables } from '../baseline/scan';
import { CLASS_OF, categoriesFromName, matchValues } from './detectors';
import { findSubjectPath } from './subject-paths';

export interface ClassifyOptions {
  tables: readonly string[];
  /** Tables already resolved (the diff's), instead of names. */
  refs?: readonly TableRef[];
  /** Rows whose values are looked at per table. */
  sample?: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: { tablesTotal: number; tablesDone: number; currentTable: string | null }) => void) | undefined;
  now: () => string;
}

export const DEFAULT_SAMPLE = 200;
/** A value rule names a column when at least this share of its sampled values match (and at least one does). */
const VALUE_SHARE = 0.5;

function classifyColumns(table: TableRef, def: TableDefinition, sample: Array<Array<string | null>>): ClassifiedColumn[] {
  return def.columns.map((col, i) => {
    const values = sample.map((r) => r[i]).filter((v): v is string => v !== null && v !== undefined);
    const fromName = categoriesFromName(col.name, table.name);
    const counts = matchValues(values);
    const fromValues = [...counts].filter(([, n]) => n > 0 && n >= values.length * VALUE_SHARE).map(([c]) => c);
    const categories = [...new Set([...fromName, ...fromValues])];
    const matched = Math.max(0, ...fromValues.map((c) => counts.get(c) ?? 0));
    const by = fromName.length && fromValues.length ? 'name+values' : fromName.length ? 'name' : fromValues.length ? 'values' : null;
    return { column: col.name, categories, by, sampled: values.length, matched };
  });
}

/**
 * Which columns of a database's tables hold personal data, from their names and a sample of their values, and whose
 * data each table holds. Only names, categories and counts come out; the sampled values are dropped here.
 */
export async function classifyDatabase(a: RowAdapter, o: ClassifyOptions): Promise<ClassifyResult> {
  const sample = o.sample ?? DEFAULT_SAMPLE;
  const refs = o.refs ?? (await (async () => {
    const all = await a.listTables();
    return o.tables.length ? resolveTables(all, o.tables, a.display) : all;
  })());
  const defs = await a.describe(refs);
  const tables: ClassifiedTable[] = [];
  const progress = { tablesTotal: refs.length, tablesDone: 0, currentTable: null as string | null };
  for (const ref of refs) {
    if (o.signal?.aborted) throw new FirebreakError('cancelled', 'The classification was cancelled.');
    progress.currentTable = ref.display;
    o.onProgress?.({ ...progress });
    const def = defs.get(ref.display) ?? { columns: [], primaryKey: [], uniqueKeys: [], foreignKeys: [] };
    try {
      const rows = (await a.measure(ref, { checksum: false, signal: o.signal })).rows;
      const values = await a.sampleValues(ref, def.columns.map((c) => c.name), sample, o.signal);
      const columns = classifyColumns(ref, def, values);
      const classes = [...new Set(columns.flatMap((c) => c.categories.map((x) => CLASS_OF[x])))].sort();
      tables.push({ table: ref.display, rows, columns, classes, subjects: null, error: null });
    } catch (e) {
      if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
      tables.push({ table: ref.display, rows: null, columns: [], classes: [], subjects: null, error: redactSecrets((e as Error).message, []) });
    }
    progress.tablesDone += 1;
    o.onProgress?.({ ...progress });
  }
  await findSubjects(a, refs, defs, tables, o.signal);
  return { target: a.display, classifiedAt: o.now(), sample, tables };
}

/**
 * Data subjects: in a table of people, its primary key; elsewhere, the person key at the end of the shortest foreign-key
 * path to a table of people (an invoice's customer; a payment's rental's customer), counted as distinct non-null
 * values by joins in the engine, so a customer with ten invoices is one person. Tables off the classified list are
 * read for their keys only (one catalog query), so a path may pass through them.
 */
async function findSubjects(a: RowAdapter, refs: readonly TableRef[], defs: Map<string, TableDefinition>, tables: ClassifiedTable[], signal: AbortSignal | undefined) {
  const classified = new Map(tables.map((t) => [matchKey(t.table), t]));
  const all = await a.listTables();
  const others = all.filter((t) => !defs.has(t.display));
  const allDefs = new Map([...defs, ...(others.length ? await a.describe(others) : [])]);
  const graph = { tables: all, defs: allDefs, classified };
  for (const ref of refs) {
    const t = classified.get(matchKey(ref.display));
    if (!t || t.error) continue;
    const path = findSubjectPath(ref, graph);
    if (!path) continue;
    try {
      const count = await a.distinctCount(ref, path.columns, signal, path.via);
      t.subjects = { table: path.person.display, columns: path.columns, count, steps: path.steps };
    } catch (e) {
      if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
      t.error = redactSecrets((e as Error).message, []);
    }
  }
}
