import type { BackupCheck, CompareResult, DatabaseCheck } from '../../shared/validation';

/** Plain-text renderings of validation results, for the terminal and for text reports. */

function table(head: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (rightAligned.has(c) ? v.padStart(widths[c] ?? 0) : c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const n = (v: number | null) => (v === null ? '-' : String(v));
const signed = (v: number | null) => (v === null ? '-' : v > 0 ? `+${v}` : String(v));

export function formatCompare(r: CompareResult): string {
  const rows = r.tables.map((t) => [t.table, t.status, n(t.baselineRows), n(t.actualRows), signed(t.delta), t.status === 'match' ? '' : (t.message ?? '')]);
  const s = r.summary;
  const parts = [
    s.countMismatch && `${s.countMismatch} count mismatch`,
    s.checksumMismatch && `${s.checksumMismatch} checksum mismatch`,
    s.schemaDrift && `${s.schemaDrift} schema drift`,
    s.missing && `${s.missing} missing`,
    s.extra && `${s.extra} extra`,
    s.error && `${s.error} unreadable`,
  ].filter(Boolean);
  const left = r.coverage && !r.coverage.complete ? r.coverage.notCompared : null;
  const objects = r.objects ?? [];
  const changedObjects = objects.filter((o) => o.status !== 'match');
  const objectPart = changedObjects.length ? `; ${changedObjects.length} of ${objects.length} views, routines, triggers and sequences differ` : '';
  const verdict = !r.match
    ? `MISMATCH: ${s.tables - s.match} of ${s.tables} tables differ${parts.length ? ` (${parts.join(', ')})` : ''}${objectPart}; baseline ${s.baselineRows} rows, now ${s.actualRows}.`
    : left
      ? `PARTIAL MATCH: the ${s.tables} compared tables agree with the baseline (${s.actualRows} rows), but ${left.length} ${left.length === 1 ? 'table was' : 'tables were'} not compared.`
      : `MATCH: all ${s.tables} tables agree with the baseline (${s.actualRows} rows).`;
  const drift = r.tables.flatMap((t) => t.schemaDrift.map((d) => `  ${t.table}: ${d}`));
  return [
    `${r.target} against the baseline of ${r.baseline.capturedAt}${r.baseline.target ? ` (${r.baseline.target})` : ''}`,
    '',
    table(['TABLE', 'STATUS', 'BASELINE', 'ACTUAL', 'DELTA', 'NOTE'], rows, new Set([2, 3, 4])),
    '',
    ...(changedObjects.length ? [table(['OBJECT', 'KIND', 'STATUS'], changedObjects.map((o) => [o.name, o.kind, o.status]), new Set()), ''] : []),
    verdict,
    ...(objects.length && !changedObjects.length ? [`All ${objects.length} views, routines, triggers and sequences agree with the baseline.`] : []),
    ...(drift.length ? ['Schema drift:', ...drift] : []),
    ...r.notes.map((x) => `Note: ${x}`),
    '',
  ].join('\n');
}

export function formatBackupCheck(c: BackupCheck): string {
  const lines = [`${c.file}  (${c.bytes} bytes, ${c.format})`, `  sha256    ${c.sha256}`];
  if (c.expectedSha256) lines.push(`  expected  ${c.expectedSha256}  ${c.sha256Match ? 'MATCH' : 'DIFFERS'}`);
  if (c.pgRestore) {
    const p = c.pgRestore;
    if (!p.available) lines.push(`  pg_restore: ${p.message ?? 'not available'}`);
    else {
      lines.push(`  pg_restore --list: ${p.ok ? 'ok' : 'FAILED'}; ${p.listedEntries} entries listed${p.tocEntries !== null ? ` (TOC Entries: ${p.tocEntries})` : ''}`);
      if (p.dumpedFrom) lines.push(`    dumped from PostgreSQL ${p.dumpedFrom}${p.database ? `, database ${p.database}` : ''}`);
      for (const [type, count] of Object.entries(p.objects).sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${type}: ${count}`);
      if (p.readThrough !== null) lines.push(`  read-through of every data block: ${p.readThrough ? 'ok' : 'FAILED'}`);
    }
  }
  if (c.sqliteIntegrity) lines.push(`  PRAGMA integrity_check: ${c.sqliteIntegrity.ok ? 'ok' : c.sqliteIntegrity.messages.slice(0, 10).join('; ')}`);
  if (c.sqlDump) {
    const d = c.sqlDump;
    lines.push(
      `  plain SQL dump${d.compressed ? ' (gzip)' : ''}: ${d.tool ? `${d.tool}${d.toolVersion ? ` ${d.toolVersion}` : ''}` : 'no dump tool header'}`,
      `    ${d.statements} statements, ${d.createTables} CREATE TABLE; ends at line ${d.endLine}, byte ${d.endByte}`,
      `    statements balanced: ${d.balanced ? 'yes' : `NO (${d.openAtEnd ?? 'the stream is damaged'})`}; completion line: ${d.trailer ? 'yes' : 'MISSING'}`,
    );
  }
  lines.push(c.ok ? 'OK' : `PROBLEM: ${c.problems.join(' ')}`, '');
  return lines.join('\n');
}

export function formatDatabaseCheck(c: DatabaseCheck): string {
  const rows = c.tables.map((t) => [t.table, t.status, t.messages.join('; ')]);
  return [
    `${c.target}  (${c.engine}, ${c.method})`,
    ...c.messages.map((m) => `  ${m}`),
    ...(rows.length ? ['', table(['TABLE', 'STATUS', 'MESSAGES'], rows, new Set())] : []),
    '',
    c.ok ? 'OK' : 'PROBLEM: see the tables above',
    '',
  ].join('\n');
}
