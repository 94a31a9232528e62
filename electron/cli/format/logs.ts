import type { CloudScanReport, LogsImportResult, LogsPullResult } from '../../shared/cloudlogs';
import { findingLines, formatImport } from './cloudtrail';

const n = (x: number) => x.toLocaleString('en-US');
const MAX_LISTED = 100;
const MAX_CALLERS = 20;

/** The human form of `logs scan`: what was read per cloud, the high-risk calls, then the callers by volume. */
export function formatLogsScan(r: CloudScanReport): string {
  const lines = [
    `${n(r.records)} records in ${n(r.files)} files (${n(r.duplicates)} duplicates dropped${r.refusedNoTime ? `, ${n(r.refusedNoTime)} without a valid time refused` : ''})`,
    `operations: AWS ${n(r.byCloud.aws)}, Azure ${n(r.byCloud.azure)}, GCP ${n(r.byCloud.gcp)}`,
    '',
  ];
  if (r.highRisk.length) {
    lines.push(`High-risk calls (${n(r.highRisk.length)}):`);
    for (const h of r.highRisk.slice(0, MAX_LISTED)) {
      const flags = [h.agent ? 'agent' : null, h.simultaneous ? 'same second as another: order unknown' : null].filter(Boolean).join(', ');
      lines.push(`  ${h.eventTime}  ${h.cloud} ${h.operation}${h.errorCode ? ` [${h.errorCode}]` : ''}  ${h.principalName}`);
      lines.push(`      ${h.attack.length ? `ATT&CK ${h.attack.join(', ')}` : ''}${flags ? `  (${flags})` : ''}${h.resources.length ? `  ${h.resources.slice(0, 2).join(', ')}` : ''}`);
    }
    if (r.highRisk.length > MAX_LISTED) lines.push(`  ... ${n(r.highRisk.length - MAX_LISTED)} more (use --json for all)`);
    lines.push('');
  } else lines.push('No high-risk calls.', '');
  const callers = Object.entries(r.byPrincipal);
  lines.push(`Callers (${n(callers.length)}):`);
  for (const [id, p] of callers.slice(0, MAX_CALLERS)) {
    const verdict = p.automation.likely ? 'automation likely' : p.kind === 'cloud-service' ? 'cloud service' : p.cadence.verdict;
    lines.push(`  ${p.cloud} ${p.kind} ${p.name}${p.name !== id ? ` (${id})` : ''}${p.agent ? ' [agent]' : ''}: ${n(p.calls)} ${p.calls === 1 ? 'call' : 'calls'}, ${verdict}`);
  }
  if (callers.length > MAX_CALLERS) lines.push(`  ... ${n(callers.length - MAX_CALLERS)} more (use --json for all)`);
  for (const a of r.unmatchedAgents) lines.push('', `Agent identity ${a}: no calls matched it in the files read`);
  return `${lines.join('\n')}\n`;
}

/** The human form of `logs import`: the `cloudtrail import` lines, each file with its cloud, then the calls per cloud. */
export function formatLogsImport(r: LogsImportResult): string {
  const files = r.files.map((f) => ({ ...f, path: `${(f.cloud ?? '-').padEnd(5)} ${f.path}` }));
  const text = formatImport({ ...r, files });
  const [head, ...rest] = text.split('\n');
  return [head, `  calls in the incident: AWS ${n(r.byCloud.aws)}, Azure ${n(r.byCloud.azure)}, GCP ${n(r.byCloud.gcp)}`, ...rest].join('\n');
}

/** The human form of `logs pull`: what was read, what was kept, the calls per cloud, then the new findings. */
export function formatLogsPull(r: LogsPullResult): string {
  const c = r.collection;
  const what = r.cloud === 'azure' ? `Azure subscription ${r.scope}` : `GCP project ${r.scope}`;
  const out = [
    `Pull ${c.id}${r.resumed ? ' (resumed)' : ''}: ${c.status}; ${what}, ${c.windowStart} to ${c.windowEnd}`,
    `  filter: ${r.filter}`,
    `  ${n(r.pages)} pages kept as evidence, ${n(r.records)} records, ${n(c.newRecords)} new calls, ${n(c.duplicates)} already known`,
    `  calls in the incident: AWS ${n(r.byCloud.aws)}, Azure ${n(r.byCloud.azure)}, GCP ${n(r.byCloud.gcp)}`,
  ];
  for (const e of c.errors) out.push(`  error: ${e}`);
  return `${[...out, '', ...findingLines(r.findings, r.newFindings)].join('\n')}\n`;
}
