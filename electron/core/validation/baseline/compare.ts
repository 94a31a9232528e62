import {
  type BaselineManifest,
  CHECKSUM_ALGORITHM,
  type CompareCoverage,
  COMPARE_FORMAT,
  type CompareResult,
  type CompareStatus,
  type CompareSummary,
  type DbEngine,
  type TableBaseline,
  type TableComparison,
  type TableDefinition,
} from '../../../shared/validation';
import { badInput } from '../../errors';
import type { TableRef, TargetAdapter } from '../adapters/adapter';
import { captureObjects, compareObjects, objectDifferences } from './objects';
import { ProgressTracker, type ScanOptions, type ScannedTable, matchKey, scanTables } from './scan';
import { schemaDrift, schemaFingerprint } from './schema-fingerprint';

export interface CompareOptions extends ScanOptions {
  /** sha256 of the baseline file as read, recorded in the result so it names exactly what it was compared with. */
  baselineSha256?: string | null;
  now?: () => Date;
}

interface Pairing {
  baseline: TableBaseline | null;
  actual: TableRef | null;
}

/** Pairs baseline tables with actual ones: the same display name, else the same name with public. dropped. */
function pair(baseline: readonly TableBaseline[], actual: readonly TableRef[]): Pairing[] {
  const byDisplay = new Map(actual.map((a) => [a.display, a]));
  const byKey = new Map<string, TableRef>();
  for (const a of actual) if (!byKey.has(matchKey(a.display))) byKey.set(matchKey(a.display), a);
  const used = new Set<TableRef>();
  const out: Pairing[] = [];
  for (const b of baseline) {
    const hit = byDisplay.get(b.table) ?? byKey.get(matchKey(b.table));
    if (hit && !used.has(hit)) {
      used.add(hit);
      out.push({ baseline: b, actual: hit });
    } else out.push({ baseline: b, actual: null });
  }
  for (const a of actual) if (!used.has(a)) out.push({ baseline: null, actual: a });
  return out;
}

/**
 * Compares a restored database with a baseline, table by table, in one read-only snapshot. Tables that only need a
 * count (extra tables, count-only baselines) are only counted.
 */
export async function compareWithBaseline(adapter: TargetAdapter, baseline: BaselineManifest, o: CompareOptions = {}): Promise<CompareResult> {
  // Every table of an empty baseline would be "matched" by comparing none: refuse it rather than prove nothing.
  if (baseline.tables.length === 0) throw badInput('The baseline lists no tables: a compare against it would check nothing.');
  const now = o.now ?? (() => new Date());
  const progress = new ProgressTracker(o.onProgress);
  progress.phase('listing');
  // An empty list chooses nothing; only a non-empty one limits the compare (the manifest parser refuses empty ones).
  const scopeTables = baseline.scope.tables?.length ? baseline.scope.tables : null;
  const scopeSchemas = baseline.scope.schemas?.length ? baseline.scope.schemas : null;
  const listed = await adapter.listTables(scopeTables ? null : scopeSchemas);
  let pairs = pair(baseline.tables, listed);
  // A baseline of chosen tables says nothing about the others: they are not "extra", but they are not compared either.
  if (scopeTables) pairs = pairs.filter((p) => p.baseline !== null);
  const present = pairs.flatMap((p) => (p.actual ? [p.actual] : []));
  const everything = !scopeTables && scopeSchemas ? await adapter.listTables(null) : listed;
  const covered = new Set(present.map((t) => t.display));
  const coverage: CompareCoverage = {
    complete: everything.every((t) => covered.has(t.display)),
    scope: { schemas: scopeSchemas ? [...scopeSchemas] : null, tables: scopeTables ? [...scopeTables] : null },
    notCompared: everything
      .filter((t) => !covered.has(t.display))
      .map((t) => t.display)
      .sort(byCodeUnit),
  };
  const definitions = await adapter.describe(present);
  const ourAlgorithm = baseline.checksumAlgorithm === CHECKSUM_ALGORITHM;
  progress.plan(present.map((t) => t.display));
  const scanned = await scanTables(
    adapter,
    pairs.flatMap((p) => (p.actual ? [{ ref: p.actual, checksum: ourAlgorithm && p.baseline?.checksum != null }] : [])),
    progress,
    o,
  );
  const sameEngine = baseline.engine === adapter.engine;
  // Definitions are printed by each engine its own way: only the same engine's can be compared.
  const actualObjects = baseline.objects && sameEngine && !scopeTables ? await captureObjects(adapter, scopeSchemas) : null;
  const objects = baseline.objects && actualObjects ? compareObjects(baseline.objects, actualObjects) : null;
  const tables = pairs
    .map((p) => judge(p, p.actual ? scanned.get(p.actual.display) : undefined, p.actual ? definitions.get(p.actual.display) : undefined, sameEngine))
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  progress.phase('finished');
  return {
    format: COMPARE_FORMAT,
    version: 1,
    match: tables.length > 0 && tables.every((t) => t.status === 'match') && (objects ?? []).every((x) => x.status === 'match'),
    target: adapter.display,
    engine: adapter.engine,
    comparedAt: now().toISOString(),
    baseline: {
      source: baseline.source,
      engine: baseline.engine,
      target: baseline.target,
      capturedAt: baseline.capturedAt,
      sha256: o.baselineSha256 ?? null,
    },
    summary: summarize(tables),
    coverage,
    notes: [...notesFor(baseline, adapter.engine, ourAlgorithm, coverage), ...objectNotes(baseline, sameEngine, objects !== null)],
    tables,
    ...(objects ? { objects } : {}),
  };
}

function judge(p: Pairing, s: ScannedTable | undefined, actualDef: TableDefinition | undefined, sameEngine: boolean): TableComparison {
  const b = p.baseline;
  const actualRows = s?.measure?.rows ?? null;
  const base: TableComparison = {
    table: p.actual?.display ?? b?.table ?? '',
    status: 'match',
    baselineRows: b?.rows ?? null,
    actualRows,
    delta: b?.rows != null && actualRows !== null ? actualRows - b.rows : null,
    baselineChecksum: b?.checksum ?? null,
    actualChecksum: s?.measure?.checksum ?? null,
    schemaDrift: [],
  };
  const verdict = (status: CompareStatus, message?: string): TableComparison => ({ ...base, status, ...(message ? { message } : {}) });
  if (!b) return verdict('extra', s?.error ? `not in the baseline; it cannot be read either: ${s.error}` : 'not in the baseline');
  if (!p.actual) return verdict('missing', 'in the baseline but not in the database');
  if (b.rows === null) return verdict('error', `the baseline could not read this table: ${b.error ?? 'no count recorded'}`);
  if (!s?.measure) return verdict('error', s?.error ?? 'not measured');
  if (actualDef && b.definition) base.schemaDrift = schemaDrift(b.definition, actualDef, sameEngine);
  else if (actualDef && b.schemaFingerprint && sameEngine && schemaFingerprint(actualDef) !== b.schemaFingerprint) {
    base.schemaDrift = ['the schema fingerprint differs from the baseline (no definition recorded to say how)'];
  }
  if (s.measure.rows !== b.rows) {
    const d = s.measure.rows - b.rows;
    return verdict('count-mismatch', `${Math.abs(d)} ${Math.abs(d) === 1 ? 'row' : 'rows'} ${d < 0 ? 'fewer' : 'more'} than the baseline`);
  }
  if (b.checksum && s.measure.checksum && b.checksum !== s.measure.checksum) {
    return verdict('checksum-mismatch', 'the same number of rows but different content');
  }
  if (base.schemaDrift.length) return verdict('schema-drift', base.schemaDrift.join('; '));
  return verdict('match');
}

function summarize(tables: readonly TableComparison[]): CompareSummary {
  const n = (s: CompareStatus) => tables.filter((t) => t.status === s).length;
  return {
    tables: tables.length,
    match: n('match'),
    countMismatch: n('count-mismatch'),
    checksumMismatch: n('checksum-mismatch'),
    schemaDrift: n('schema-drift'),
    missing: n('missing'),
    extra: n('extra'),
    error: n('error'),
    baselineRows: tables.reduce((sum, t) => sum + (t.baselineRows ?? 0), 0),
    actualRows: tables.reduce((sum, t) => sum + (t.actualRows ?? 0), 0),
  };
}

function notesFor(baseline: BaselineManifest, engine: DbEngine, ourAlgorithm: boolean, coverage: CompareCoverage): string[] {
  const notes: string[] = [];
  if (baseline.source === 'csv') notes.push('The baseline holds row counts only (imported from CSV): content and schema were not compared.');
  else if (!ourAlgorithm) {
    notes.push(`The baseline's checksum algorithm (${baseline.checksumAlgorithm ?? 'none'}) is not ${CHECKSUM_ALGORITHM}: only row counts and schemas were compared.`);
  }
  if (baseline.engine && baseline.engine !== engine) {
    notes.push(
      `The baseline was captured on ${baseline.engine} and the target is ${engine}: column types and foreign keys were not compared, and checksums agree only where the types canonicalise alike (docs/validation-checksum.md).`,
    );
  }
  const left = coverage.notCompared;
  const leftOut = left.length
    ? `${left.length} other ${left.length === 1 ? 'table was' : 'tables were'} not looked at: ${listSome(left, 20)}`
    : 'no other table is in the database';
  if (coverage.scope.tables) notes.push(`Only the ${coverage.scope.tables.length} tables chosen at capture were compared; ${leftOut}.`);
  else if (coverage.scope.schemas) notes.push(`Only the tables in ${coverage.scope.schemas.join(', ')} were compared; ${leftOut}.`);
  return notes;
}

function objectNotes(baseline: BaselineManifest, sameEngine: boolean, compared: boolean): string[] {
  if (compared || baseline.source === 'csv') return [];
  if (!baseline.objects) {
    return ['The baseline records no views, functions, procedures, triggers or sequences (a baseline of chosen tables, or one captured before Firebreak recorded them): those were not compared.'];
  }
  return [sameEngine ? 'This database cannot list its views, routines, triggers or sequences: those were not compared.' : 'Views, routines, triggers and sequences were not compared: each engine prints their definitions its own way.'];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "a, b, c, and 7 more". */
function listSome(names: readonly string[], max: number): string {
  return `${names.slice(0, max).join(', ')}${names.length > max ? `, and ${names.length - max} more` : ''}`;
}

/** Tables left out by the baseline's scope; empty when the compare covered the whole database. */
const partialNote = (r: CompareResult): string =>
  r.coverage && !r.coverage.complete
    ? `; ${r.coverage.notCompared.length} ${r.coverage.notCompared.length === 1 ? 'table was' : 'tables were'} not compared (${listSome(r.coverage.notCompared, 5)})`
    : '';

/** One line for lists and the ledger, e.g. "2 of 15 tables differ: public.rental -120 rows, public.payment content". */
export function compareSummaryLine(r: CompareResult): string {
  if (r.match) {
    return r.coverage && !r.coverage.complete
      ? `the ${r.summary.tables} compared tables match the baseline${partialNote(r)}`
      : `all ${r.summary.tables} tables match the baseline`;
  }
  const bad = r.tables.filter((t) => t.status !== 'match');
  const objects = r.objects ? objectDifferences(r.objects) : '';
  if (!bad.length && objects) return `the tables match; ${objects}`;
  const what = (t: TableComparison) =>
    t.status === 'count-mismatch'
      ? `${t.table} ${t.delta !== null && t.delta > 0 ? '+' : ''}${t.delta} rows`
      : t.status === 'checksum-mismatch'
        ? `${t.table} content`
        : `${t.table} ${t.status}`;
  const head = bad.slice(0, 5).map(what).join(', ');
  if (!bad.length) return 'no table was compared';
  return `${bad.length} of ${r.summary.tables} tables differ: ${head}${bad.length > 5 ? `, and ${bad.length - 5} more` : ''}${objects ? `; ${objects}` : ''}${partialNote(r)}`;
}
