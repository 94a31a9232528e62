import type { AthenaEstimate, AthenaPlan, AthenaRunResult } from '../../shared/athena';
import { formatBytes } from '../../shared/bytes';

const n = (x: number) => x.toLocaleString('en-US');

export function formatEstimate(e: AthenaEstimate): string {
  return `Estimate: about ${formatBytes(e.bytes)} scanned, about $${e.usd.toFixed(2)}\n  ${e.basis}\n`;
}

/** What --dry-run prints: the scope, the DDL and every query exactly as they would be sent, and the estimate. */
export function formatAthenaPlan(p: AthenaPlan): string {
  const out = [
    `Athena analysis of ${p.database}.${p.table}${p.workgroup ? ` in workgroup ${p.workgroup}` : ''}${p.output ? `, results to ${p.output}` : ''}`,
    `Window: ${p.scope.start} to ${p.scope.end}`,
    `Accounts: ${p.scope.accounts.join(', ')}`,
    `Regions: ${p.scope.regions.join(', ')}`,
    '',
  ];
  if (p.ddl) out.push('-- create-table: the partition-projected CloudTrail table', `${p.ddl};`, '');
  for (const q of p.queries) out.push(`-- ${q.name}: ${q.purpose}`, `${q.sql};`, '');
  out.push(formatEstimate(p.estimate));
  return out.join('\n');
}

export function formatAthenaRun(r: AthenaRunResult): string {
  const out = [`${r.collectionId}: ${n(r.events)} events from Athena (${n(r.newEvents)} new), ${formatBytes(r.bytesScanned)} scanned`];
  for (const x of r.executions) {
    out.push(`  ${x.name.padEnd(18)} ${x.executionId}  ${formatBytes(x.bytesScanned).padStart(8)} in ${(x.engineMs / 1000).toFixed(1)} s  ${n(x.rows)} rows${x.sha256 ? `  sha256 ${x.sha256}` : ''}`);
  }
  if (r.identities.length) {
    out.push('', 'Busiest identities (calls, errors, active minutes):');
    for (const i of r.identities.slice(0, 20)) out.push(`  ${n(i.calls).padStart(10)}  ${n(i.errors).padStart(7)}  ${n(i.activeMinutes).padStart(6)}  ${i.principalArn}`);
  }
  if (r.blastRadius.length) {
    out.push('', 'Resources the agent identities changed:');
    for (const b of r.blastRadius.slice(0, 20)) out.push(`  ${n(b.writes).padStart(6)}  ${b.eventSource.replace('.amazonaws.com', '')}  ${b.resource}`);
  }
  out.push('', `${n(r.newFindings)} new findings`);
  for (const f of r.findings.slice(0, 20)) out.push(`  ${f.id}  ${f.title}`);
  return `${out.join('\n')}\n`;
}
