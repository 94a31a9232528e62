import type { DbLogImport, DbLogStatement } from '../../shared/validation';

/** Plain-text renderings of database log imports and their statements. */

export function formatDbLogImport(r: DbLogImport): string {
  const lines = r.files.map((f) =>
    f.evidenceId
      ? `${f.sha256 ?? ''}  ${f.path}  (${f.source ?? 'unknown'}, ${f.statements} statements, evidence ${f.evidenceId})${f.problem ? `: ${f.problem}` : ''}`
      : `NOT IMPORTED  ${f.path}: ${f.problem ?? 'unknown format'}`,
  );
  lines.push('', `${r.statements} statements on the incident's time axis${r.first ? ` (${r.first} to ${r.last})` : ''}, ${r.destructive} destructive.`);
  if (r.rowsDeleted.length) {
    lines.push('Rows deleted per table (from row events):');
    const width = Math.max(...r.rowsDeleted.map((t) => t.table.length));
    for (const t of r.rowsDeleted) lines.push(`  ${t.table.padEnd(width)}  ${t.rows}`);
  }
  lines.push('');
  return lines.join('\n');
}

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function formatDbLogStatements(list: ReadonlyArray<DbLogStatement>): string {
  return `${list
    .map((s) => `${s.at}  ${s.destructive ? '!' : ' '} ${s.operation.padEnd(16)} ${(s.table ?? '-').padEnd(24)} ${s.rows === null ? '' : `${s.rows} ${s.rows === 1 ? 'row' : 'rows'}  `}${s.login ? `[${s.login}] ` : ''}${oneLine(s.statement, 160)}`)
    .join('\n')}\n`;
}
