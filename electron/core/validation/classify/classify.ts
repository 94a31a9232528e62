import type { ClassifiedColumn, ClassifiedTable, ClassifyResult, PersonalCategory } from '../../../shared/row-diff';
import type { TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import type { RowAdapter, TableRef } from '../adapters/adapter';
import { redactSecrets } from '../adapters/target-url';
import { matchKey, resolveTables } from '../baseline/scan';
import { CLASS_OF, PERSON_TABLE, categoriesFromName, matchValues, normaliseName } from './detectors';

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
/** Categories that make a table's rows people, so its own key names the data subject. */
const PERSON_CATEGORIES: ReadonlySet<PersonalCategory> = new Set(['email', 'person-name', 'national-id', 'date-of-birth', 'phone']);

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

/** A table whose rows are people: named so, or holding a person's identifying columns. */
function isPersonTable(t: ClassifiedTable | undefined, name: string): boolean {
  return PERSON_TABLE.test(normaliseName(name)) || Boolean(t?.columns.some((c) => c.categories.some((x) => PERSON_CATEGORIES.has(x))));
}

/**
 * Data subjects: in a table of people, its primary key; elsewhere, a foreign key to a table of people (an invoice's
 * customer). Counted as distinct non-null values, so a customer with ten invoices is one person.
 */
async function findSubjects(a: RowAdapter, refs: readonly TableRef[], defs: Map<string, TableDefinition>, tables: ClassifiedTable[], signal: AbortSignal | undefined) {
  const byKey = new Map(tables.map((t) => [matchKey(t.table), t]));
  for (const ref of refs) {
    const t = byKey.get(matchKey(ref.display));
    const def = defs.get(ref.display);
    if (!t || !def || t.error) continue;
    let subject: { table: string; columns: string[] } | null = null;
    if (isPersonTable(t, ref.name) && def.primaryKey.length) subject = { table: ref.display, columns: def.primaryKey };
    else {
      const fk = def.foreignKeys.find((f) => {
        const target = f.references.replace(/^.*\./, '');
        return isPersonTable(byKey.get(matchKey(f.references)), target);
      });
      if (fk) subject = { table: fk.references, columns: fk.columns };
    }
    if (!subject) continue;
    try {
      t.subjects = { ...subject, count: await a.distinctCount(ref, subject.columns, signal) };
    } catch (e) {
      if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
      t.error = redactSecrets((e as Error).message, []);
    }
  }
}
