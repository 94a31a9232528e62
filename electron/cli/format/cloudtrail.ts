import type { BlastRadius, CloudTrailFinding, DigestVerification, HighRiskEvent, ImportResult, PullResult, ScanReport } from '../../shared/cloudtrail';

const n = (x: number) => x.toLocaleString('en-US');
const MAX_LISTED = 100;

function highRiskLines(title: string, events: HighRiskEvent[]): string[] {
  if (events.length === 0) return [];
  const lines = [`${title} (${n(events.length)}):`];
  for (const e of events.slice(0, MAX_LISTED)) {
    const flags = [e.agent ? `agent ${e.agentIdentity}` : null, e.burst ? 'machine-speed burst' : null, e.firstTime ? 'first time' : null]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${e.eventTime}  ${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName}${e.errorCode ? ` [${e.errorCode}]` : ''}  ${e.principalArn}`,
      `      ${e.rules.map((r) => r.title).join('; ')}${e.attack.length ? `  ATT&CK ${e.attack.join(', ')}` : ''}${flags ? `  (${flags})` : ''}`,
    );
    if (e.resources.length) lines.push(`      resources: ${e.resources.slice(0, 4).join(', ')}`);
  }
  if (events.length > MAX_LISTED) lines.push(`  ... ${n(events.length - MAX_LISTED)} more (use --json for all)`);
  return [...lines, ''];
}

function agentLines(a: BlastRadius): string[] {
  const lines = [`Agent identity ${a.agentIdentity}${a.aliases?.length ? ` (also named ${a.aliases.join(', ')})` : ''}:`];
  lines.push(
    `  ${n(a.calls)} ${a.calls === 1 ? 'call' : 'calls'} by ${a.principals.length} principal${a.principals.length === 1 ? '' : 's'}: ${a.principals.slice(0, 3).join(', ')}${a.principals.length > 3 ? ', ...' : ''}`,
    `  cadence: ${a.cadence.verdict} (${a.cadence.reasons.join('; ')})`,
    `  services: ${a.services
      .slice(0, 8)
      .map((s) => `${s.service} ${n(s.calls)}${s.destructive ? ` (${n(s.destructive)} destructive)` : ''}`)
      .join(', ')}`,
    `  regions: ${a.regions.map((r) => `${r.region} ${n(r.calls)}`).join(', ') || '(none)'}`,
    `  resources touched: ${n(a.resources.length + a.resourcesNotListed)}${a.resources.length ? ` (e.g. ${a.resources.slice(0, 5).map((r) => r.resource).join(', ')})` : ''}`,
  );
  if (a.firstDestructive.length) {
    lines.push('  first destructive calls:');
    for (const f of a.firstDestructive.slice(0, 20)) {
      lines.push(`    ${f.eventTime}  ${f.eventSource.replace('.amazonaws.com', '')}:${f.eventName}${f.errorCode ? ` [${f.errorCode}]` : ''}${f.simultaneous ? ' (same second: order unknown)' : ''}${f.resources.length ? `  ${f.resources[0]}` : ''}`);
    }
  }
  if (a.movement.length) {
    lines.push('  movement across services/regions within minutes:');
    for (const m of a.movement.slice(0, 5)) {
      lines.push(`    ${m.start} .. ${m.end}: ${n(m.calls)} ${m.calls === 1 ? 'call' : 'calls'}, services ${m.services.join(', ')}${m.regions.length > 1 ? `; regions ${m.regions.join(', ')}` : ''}`);
    }
  }
  return [...lines, ''];
}

/** The readable report of `firebreak cloudtrail scan`. */
export function formatScanReport(r: ScanReport): string {
  const out: string[] = [
    `CloudTrail scan: ${n(r.records)} records in ${n(r.files)} files (${n(r.duplicates)} duplicates dropped)` +
      (r.firstEventTime ? `, ${r.firstEventTime} .. ${r.lastEventTime}` : ''),
    '',
  ];
  if (r.errors.length) {
    out.push(`Files with problems (${r.errors.length}); the other files were analysed:`);
    for (const e of r.errors) out.push(`  ${e.path}: ${e.reason}${e.status === 'partial' ? ` (${n(e.records)} records kept)` : ''}`);
    out.push('');
  }
  for (const a of r.agents) out.push(...agentLines(a));
  if (r.unmatchedAgents.length) out.push(`Agent identities that matched no call in the files read: ${r.unmatchedAgents.join(', ')}`, '');
  out.push(...highRiskLines('High-risk calls that succeeded', r.highRisk.filter((h) => h.errorCode === null)));
  out.push(...highRiskLines('High-risk calls that failed (attempts)', r.highRisk.filter((h) => h.errorCode !== null)));
  if (r.highRisk.length === 0) out.push('No high-risk calls.', '');
  const principals = Object.values(r.byPrincipal);
  out.push(`Principals (${n(principals.length)}, by calls):`);
  out.push(`  ${'CALLS'.padStart(9)} ${'ERRORS'.padStart(7)} ${'WRITES'.padStart(8)} ${'HIGH-RISK'.padStart(9)}  ${'CADENCE'.padEnd(12)} PRINCIPAL`);
  for (const p of principals.slice(0, 25)) {
    const tag = p.agent ? '  [agent]' : p.automation.likely ? '  [automation?]' : '';
    out.push(`  ${n(p.calls).padStart(9)} ${n(p.errors).padStart(7)} ${n(p.writes).padStart(8)} ${n(p.highRisk).padStart(9)}  ${p.cadence.verdict.padEnd(12)} ${p.principalArn}${tag}`);
  }
  if (principals.length > 25) out.push(`  ... ${n(principals.length - 25)} more (use --json)`);
  const auto = r.automation.map((k) => r.byPrincipal[k]).filter((p) => p !== undefined);
  if (auto.length) {
    out.push('', 'Not declared as agents, but behaving like automation:');
    for (const p of auto.slice(0, 20)) out.push(`  ${p.principalArn}: ${p.automation.reasons.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatDigestReport(v: DigestVerification): string {
  const out = [
    `Digests: ${v.digestCounts.valid} valid, ${v.digestCounts.invalid} with problems. Log files: ${v.counts.valid} valid, ${v.counts.invalid} invalid, ${v.counts.missing} missing, ${v.counts.unlisted} unlisted.`,
  ];
  for (const d of v.digests) {
    if (d.signature === 'valid' && (d.chain === 'ok' || d.chain === 'first')) continue;
    out.push(`  digest ${d.path}: signature ${d.signature}, chain ${d.chain}${d.reason ? `: ${d.reason}` : ''}`);
  }
  for (const l of v.logFiles) if (l.status !== 'valid') out.push(`  ${l.status.padEnd(8)} ${l.path ?? l.s3Object}${l.reason ? `: ${l.reason}` : ''}`);
  out.push(v.ok ? 'Integrity verified.' : 'Integrity NOT verified: see the lines above.');
  return `${out.join('\n')}\n`;
}

export function findingLines(findings: CloudTrailFinding[], total: number): string[] {
  if (total === 0) return ['No new findings.'];
  const lines = [`New findings (${n(total)}), in ${findings[0]?.phase ?? 'Detection & Analysis'}:`];
  for (const f of findings.slice(0, MAX_LISTED)) lines.push(`  ${f.id}  ${f.severity.padEnd(8)} ${f.title}`);
  if (findings.length > MAX_LISTED) lines.push(`  ... ${n(findings.length - MAX_LISTED)} more (use --json or the app)`);
  return lines;
}

export function formatImport(r: ImportResult): string {
  const c = r.collection;
  const out = [`Import ${c.id}: ${n(c.records)} records from ${n(r.files.filter((f) => f.evidenceId).length)} files, ${n(c.newRecords)} new, ${n(c.duplicates)} already known.`];
  for (const f of r.files) {
    out.push(`  ${f.status.padEnd(8)} ${f.evidenceId ?? '-'.padEnd(9)}  ${n(f.records).padStart(9)} records ${n(f.newRecords).padStart(9)} new  ${f.path}${f.reason ? `: ${f.reason}` : ''}`);
  }
  return `${[...out, '', ...findingLines(r.findings, r.newFindings)].join('\n')}\n`;
}

export function formatPull(r: PullResult): string {
  const c = r.collection;
  const out = [
    `Pull ${c.id}${r.resumed ? ' (resumed)' : ''}: ${c.status}; ${c.regions.join(', ')}, ${c.windowStart} to ${c.windowEnd}`,
    `  ${n(c.pages)} pages kept as evidence, ${n(c.records)} events, ${n(c.newRecords)} new, ${n(c.duplicates)} already known`,
    `  public keys: ${r.publicKeysEvidenceIds.join(', ') || 'none saved'}`,
  ];
  const busy = r.lookups.filter((l) => l.events > 0 || !l.done);
  for (const l of busy.slice(0, 40)) out.push(`  ${l.region} ${l.attribute}=${l.value}: ${n(l.pages)} pages, ${n(l.events)} events${l.done ? '' : ' (not finished)'}`);
  for (const e of c.errors) out.push(`  error: ${e}`);
  return `${[...out, '', ...findingLines(r.findings, r.newFindings)].join('\n')}\n`;
}
