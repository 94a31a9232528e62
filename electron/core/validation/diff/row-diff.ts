import type { ClassifyResult, RowDiffPersonal, RowDiffProgress, RowDiffResult, RowDiffTable } from '../../../shared/row-diff';
import type { TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import type { RowAdapter, TableRef } from '../adapters/adapter';
import { type BucketRow, type JoinHop, type KeyRangeBuckets, type KeyedHashSpec, MAX_BUCKET_BITS, emptySums, rangeBuckets } from '../adapters/keyed-hash';
import { redactSecrets } from '../adapters/target-url';
import { matchKey, resolveTables } from '../baseline/scan';
import { classifyDatabase } from '../classify/classify';
import { compareBucket, differingBuckets, keyText, mergeBuckets } from './bucket-merge';
import { KeysFile, keysFileName } from './keys-file';

export interface RowDiffOptions {
  /** Only these tables (names as in either database); all tables of both when empty. */
  tables: readonly string[];
  /** Where to write one CSV of differing keys per table; none when null. */
  keysOut: string | null;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: RowDiffProgress) => void) | undefined;
  now: () => string;
  /** Classify the reference's tables first (`db classify`): then each table says what its lost rows held and whose. */
  classify?: boolean;
}

/** Rows per bucket aimed at: small enough that a differing bucket costs a few rows to read on each side. */
const ROWS_PER_BUCKET = 8;

export function bucketBits(rows: number): number {
  return Math.min(MAX_BUCKET_BITS, Math.max(0, Math.ceil(Math.log2(Math.max(1, rows / ROWS_PER_BUCKET)))));
}

interface TablePair {
  table: string;
  reference: TableRef | null;
  actual: TableRef | null;
}

/** Tables of both sides paired by name (public.x and x are one table), in the reference's order then the actual's. */
function pairTables(ref: readonly TableRef[], act: readonly TableRef[], requested: readonly string[], o: { reference: string; actual: string }): TablePair[] {
  const actByKey = new Map(act.map((t) => [matchKey(t.display), t]));
  const refByKey = new Map(ref.map((t) => [matchKey(t.display), t]));
  let pairs: TablePair[] = [
    ...ref.map((t) => ({ table: t.display, reference: t, actual: actByKey.get(matchKey(t.display)) ?? null })),
    ...act.filter((t) => !refByKey.has(matchKey(t.display))).map((t) => ({ table: t.display, reference: null, actual: t })),
  ];
  if (requested.length) {
    const chosen = resolveTables(
      pairs.map((p) => p.reference ?? (p.actual as TableRef)),
      requested,
      `Neither ${o.reference} nor ${o.actual}`,
    );
    pairs = pairs.filter((p) => chosen.includes(p.reference ?? (p.actual as TableRef)));
  }
  return pairs;
}

async function* none(): AsyncGenerator<BucketRow> {}

/**
 * The compared columns (those both sides have, in the reference's order) and the key: the reference's primary key,
 * else the actual's, else the whole row. A note says what was left out.
 */
function planSpec(refDef: TableDefinition | undefined, actDef: TableDefinition | undefined): { columns: string[]; key: string[] | null; note: string | null } {
  const refCols = refDef?.columns.map((c) => c.name) ?? null;
  const actCols = actDef?.columns.map((c) => c.name) ?? null;
  const columns = refCols && actCols ? refCols.filter((c) => actCols.includes(c)) : (refCols ?? actCols ?? []);
  const onlyRef = refCols && actCols ? refCols.filter((c) => !actCols.includes(c)) : [];
  const onlyAct = refCols && actCols ? actCols.filter((c) => !refCols.includes(c)) : [];
  const usable = (pk: string[] | undefined) => (pk && pk.length && pk.every((c) => columns.includes(c)) ? pk : null);
  const key = usable(refDef?.primaryKey) ?? usable(actDef?.primaryKey);
  const notes = [
    onlyRef.length ? `columns only in the reference: ${onlyRef.join(', ')}` : '',
    onlyAct.length ? `columns only in the actual: ${onlyAct.join(', ')}` : '',
  ].filter(Boolean);
  return { columns, key, note: notes.length ? `${notes.join('; ')}; compared on the ${columns.length} columns both have` : null };
}

/**
 * Row-level diff of two databases (issue 20): per table, the rows missing from the actual (in the reference only),
 * extra in it, and changed (same key, other content). Each side sums row hashes per key bucket in its own engine;
 * only the buckets that differ are read row by row, both sides streamed in bucket order, so memory holds a bucket.
 */
export async function diffDatabases(reference: RowAdapter, actual: RowAdapter, o: RowDiffOptions): Promise<RowDiffResult> {
  const progress: RowDiffProgress = { phase: 'listing', tablesTotal: 0, tablesDone: 0, currentTable: null, step: null };
  const emit = () => o.onProgress?.({ ...progress });
  emit();
  const [refTables, actTables] = await Promise.all([reference.listTables(), actual.listTables()]);
  const pairs = pairTables(refTables, actTables, o.tables, { reference: reference.display, actual: actual.display });
  const [refDefs, actDefs] = await Promise.all([
    reference.describe(pairs.flatMap((p) => (p.reference ? [p.reference] : []))),
    actual.describe(pairs.flatMap((p) => (p.actual ? [p.actual] : []))),
  ]);
  const personal = o.classify
    ? await classifyDatabase(reference, { tables: [], refs: pairs.flatMap((p) => (p.reference ? [p.reference] : [])), signal: o.signal, now: o.now })
    : null;
  progress.phase = 'diffing';
  progress.tablesTotal = pairs.length;
  emit();
  const takenNames = new Set<string>();
  const tables: RowDiffTable[] = [];
  for (const pair of pairs) {
    if (o.signal?.aborted) throw new FirebreakError('cancelled', 'The diff was cancelled; no key list was kept for the unfinished table.');
    progress.currentTable = pair.table;
    const spec = planSpec(pair.reference ? refDefs.get(pair.reference.display) : undefined, pair.actual ? actDefs.get(pair.actual.display) : undefined);
    const tablePersonal = personalOf(personal, pair.table, spec.columns, refTables);
    const keys = o.keysOut ? new KeysFile(o.keysOut, keysFileName(pair.table, takenNames), spec.key ?? ['row_hash_64']) : null;
    try {
      tables.push(await diffTable(reference, actual, pair, spec, keys, tablePersonal, { signal: o.signal, step: (s) => ((progress.step = s), emit()) }));
    } catch (e) {
      keys?.abandon();
      if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
      tables.push({
        ...blank(pair, spec, tablePersonal?.personal ?? null),
        status: 'error',
        message: redactSecrets((e as Error).message, []),
      });
    }
    progress.tablesDone += 1;
    progress.step = null;
    emit();
  }
  progress.phase = 'finished';
  progress.currentTable = null;
  emit();
  const wholeRow = tables.filter((t) => t.keyedBy === 'whole-row' && t.status !== 'error').map((t) => t.table);
  return {
    match: tables.every((t) => t.status === 'match'),
    reference: reference.display,
    actual: actual.display,
    comparedAt: o.now(),
    tables,
    notes: wholeRow.length
      ? [`Without a primary key, ${wholeRow.join(', ')} ${wholeRow.length === 1 ? 'was' : 'were'} compared by whole-row hashes: a changed row counts as one missing and one extra.`]
      : [],
  };
}

/** A table's classification, with the joins that carry its subject key to each drilled reference row. */
interface TablePersonal {
  personal: RowDiffPersonal;
  via: JoinHop[];
}

/**
 * The classification of one table, with its subjects when the diff can follow them: the table's own subject columns
 * when both sides compare them, or a foreign-key path whose tables the reference has (the lost rows are read there).
 */
function personalOf(c: ClassifyResult | null, table: string, columns: readonly string[], refTables: readonly TableRef[]): TablePersonal | null {
  const t = c?.tables.find((x) => matchKey(x.table) === matchKey(table));
  if (!t) return null;
  const s = t.subjects;
  const byKey = new Map(refTables.map((r) => [matchKey(r.display), r]));
  const via: JoinHop[] = [];
  for (const step of s?.steps.slice(0, -1) ?? []) {
    const to = byKey.get(matchKey(step.to));
    if (to) via.push({ table: to, from: step.columns, to: step.referencedColumns });
  }
  const usable = s && via.length === Math.max(0, s.steps.length - 1) && (s.steps.length > 1 || s.columns.every((x) => columns.includes(x)));
  return {
    personal: {
      categories: [...new Set(t.columns.flatMap((x) => x.categories))],
      classes: t.classes,
      subjects: usable ? { table: s.table, columns: s.columns, total: s.count, affected: 0, steps: s.steps } : null,
    },
    via,
  };
}

function blank(pair: TablePair, spec: { key: string[] | null; note: string | null }, personal: RowDiffPersonal | null): RowDiffTable {
  return {
    table: pair.table,
    status: 'match',
    keyedBy: spec.key ? 'primary-key' : 'whole-row',
    key: spec.key ?? [],
    referenceRows: null,
    actualRows: null,
    missing: 0,
    extra: 0,
    changed: 0,
    keysFile: null,
    buckets: 0,
    differingBuckets: 0,
    message: spec.note,
    personal: personal ? structuredClone(personal) : null,
  };
}

/**
 * Range buckets for a one-column integer key when both sides can say their key range (an empty or absent side does
 * not count); null when either cannot, and the buckets stay md5 of the key.
 */
async function keyRanges(
  key: string,
  sides: ReadonlyArray<readonly [RowAdapter, TableRef | null, number | null]>,
  bits: number,
  signal: AbortSignal | undefined,
): Promise<KeyRangeBuckets | null> {
  const ranges = await Promise.all(sides.map(([a, t, rows]) => (!t || !rows ? null : a.keyRange ? a.keyRange(t, key, signal) : ('unsupported' as const))));
  return rangeBuckets(ranges, bits);
}

async function diffTable(
  reference: RowAdapter,
  actual: RowAdapter,
  pair: TablePair,
  plan: { columns: string[]; key: string[] | null; note: string | null },
  keys: KeysFile | null,
  tablePersonal: TablePersonal | null,
  o: { signal: AbortSignal | undefined; step: (s: RowDiffProgress['step']) => void },
): Promise<RowDiffTable> {
  const out = blank(pair, plan, tablePersonal?.personal ?? null);
  const subjects = out.personal?.subjects ?? null;
  // Whose rows were lost: distinct subject keys, held until the table is done (people, not rows, so far fewer).
  const affected = new Set<string>();
  o.step('counting');
  const count = async (a: RowAdapter, t: TableRef | null) => (t ? (await a.measure(t, { checksum: false, signal: o.signal })).rows : null);
  const [refRows, actRows] = await Promise.all([count(reference, pair.reference), count(actual, pair.actual)]);
  out.referenceRows = refRows;
  out.actualRows = actRows;
  const bits = bucketBits(Math.max(refRows ?? 0, actRows ?? 0));
  const range = plan.key?.length === 1 ? await keyRanges(plan.key[0] ?? '', [[reference, pair.reference, refRows], [actual, pair.actual, actRows]], bits, o.signal) : null;
  const spec: KeyedHashSpec = { columns: plan.columns, key: plan.key, bits, ...(range ? { range } : {}) };
  // Only the reference's rows are followed to their people (missing and changed rows are taken from it).
  const refSpec: KeyedHashSpec = subjects ? { ...spec, carry: subjects.columns, carryVia: tablePersonal?.via ?? [] } : spec;
  out.buckets = 1 << spec.bits;
  o.step('summing');
  const sums = (a: RowAdapter, t: TableRef | null, rows: number | null) => (t && rows ? a.bucketSums(t, spec, o.signal) : Promise.resolve(emptySums(spec.bits)));
  const [refSums, actSums] = await Promise.all([sums(reference, pair.reference, refRows), sums(actual, pair.actual, actRows)]);
  const differing = differingBuckets(refSums, actSums);
  out.differingBuckets = differing.length;
  if (differing.length) {
    o.step('drilling');
    // When most buckets differ, reading everything costs less than a list of most bucket ids.
    const list = differing.length * 2 > out.buckets ? null : differing;
    const rows = (a: RowAdapter, t: TableRef | null, s: typeof refSums, sp: KeyedHashSpec) => {
      const expected = list ? differing.reduce((n, b) => n + (s.counts[b] ?? 0), 0) : s.counts.reduce((n, c) => n + c, 0);
      return t && expected > 0 ? a.bucketRows(t, sp, list, o.signal, expected) : none();
    };
    const wholeRow = plan.key === null;
    for await (const b of mergeBuckets(rows(reference, pair.reference, refSums, refSpec), rows(actual, pair.actual, actSums, spec))) {
      const d = compareBucket(b.reference, b.actual, wholeRow);
      out.missing += d.missing.length;
      out.extra += d.extra.length;
      out.changed += d.changed.length;
      for (const r of d.missing) keys?.write('missing', keyText(r, wholeRow));
      for (const r of d.extra) keys?.write('extra', keyText(r, wholeRow));
      for (const r of d.changed) keys?.write('changed', keyText(r, wholeRow));
      if (subjects) {
        for (const r of [...d.missing, ...d.changed]) if (r.carried.every((v) => v !== null)) affected.add(JSON.stringify(r.carried));
      }
    }
  }
  if (subjects) subjects.affected = affected.size;
  out.keysFile = keys?.finish() ?? null;
  const differs = out.missing + out.extra + out.changed > 0 || plan.note !== null;
  out.status = !pair.actual ? 'missing-table' : !pair.reference ? 'extra-table' : differs ? 'differs' : 'match';
  if (out.status === 'match' && differing.length) {
    // Bucket sums differed but no row did: only a hash collision within a bucket could do that; say so, never hide it.
    out.status = 'differs';
    out.message = [out.message, 'bucket checksums differ but no differing row was found'].filter(Boolean).join('; ');
  }
  return out;
}
