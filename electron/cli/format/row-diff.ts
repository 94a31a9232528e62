import { type ClassifyResult, type RowDiffResult, subjectsText } from '../../shared/row-diff';

/** `firebreak db diff` for the terminal: one line per table, then the verdict and where the key lists are. */
export function formatRowDiff(r: RowDiffResult): string {
  const head = ['TABLE', 'STATUS', 'KEY', 'REFERENCE', 'ACTUAL', 'MISSING', 'EXTRA', 'CHANGED'];
  const n = (v: number | null) => (v === null ? '-' : String(v));
  const rows = r.tables.map((t) => [
    t.table,
    t.status,
    t.keyedBy === 'primary-key' ? t.key.join('+') : '(whole row)',
    n(t.referenceRows),
    n(t.actualRows),
    String(t.missing),
    String(t.extra),
    String(t.changed),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((x) => (x[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((v, c) => (c >= 3 ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  const differing = r.tables.filter((t) => t.status !== 'match');
  const sum = (k: 'missing' | 'extra' | 'changed') => r.tables.reduce((s, t) => s + t[k], 0);
  const verdict = r.match
    ? `MATCH: all ${r.tables.length} tables hold the same rows.`
    : `DIFFERENCES in ${differing.length} of ${r.tables.length} tables: ${sum('missing')} rows missing, ${sum('extra')} extra, ${sum('changed')} changed.`;
  const personal = r.tables.flatMap((t) => {
    const p = t.personal;
    if (!p || t.status === 'match' || (p.classes.length === 0 && !p.subjects)) return [];
    const who = p.subjects ? `; ${p.subjects.affected} of ${p.subjects.total} data subjects affected (${subjectsText(p.subjects)})` : '';
    const held = p.classes.length ? `${p.classes.join(', ')} (${p.categories.join(', ')})` : 'no personal data in its own columns';
    return [`  ${t.table}: ${held}${who}`];
  });
  const details = r.tables.flatMap((t) => [
    ...(t.message ? [`  ${t.table}: ${t.message}`] : []),
    ...(t.keysFile ? [`  ${t.table}: keys in ${t.keysFile}`] : []),
  ]);
  return [
    `reference ${r.reference}`,
    `actual    ${r.actual}`,
    '',
    line(head),
    ...rows.map(line),
    '',
    verdict,
    ...(personal.length ? ['Personal data in the loss:', ...personal] : []),
    ...details,
    ...r.notes.map((x) => `Note: ${x}`),
    '',
  ].join('\n');
}

/** `firebreak db classify` for the terminal: per table its classes and subjects, then the columns that hold personal data. */
export function formatClassify(r: ClassifyResult): string {
  const lines = [`${r.target}: personal data by column names and ${r.sample} sampled rows per table (no value is shown or kept)`, ''];
  for (const t of r.tables) {
    if (t.error) {
      lines.push(`${t.table}: ERROR ${t.error}`);
      continue;
    }
    const subjects = t.subjects ? `; ${t.subjects.count} data subjects by ${subjectsText(t.subjects)}` : '';
    lines.push(`${t.table} (${t.rows ?? '-'} rows): ${t.classes.length ? t.classes.join(', ') : 'no personal data found'}${subjects}`);
    for (const c of t.columns.filter((x) => x.categories.length)) {
      const how = c.by === 'name' ? 'by name' : `by ${c.by}, ${c.matched} of ${c.sampled} sampled values`;
      lines.push(`  ${c.column}: ${c.categories.join(', ')} (${how})`);
    }
  }
  const personal = r.tables.filter((t) => t.classes.length);
  lines.push('', `${personal.length} of ${r.tables.length} tables hold personal data.`, '');
  return lines.join('\n');
}
