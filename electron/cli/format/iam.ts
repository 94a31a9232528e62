import type { IamAnalysis, IamCaptureResult, IamImportResult, IamIncidentAnalysis, IamSource } from '../../shared/iam';

const SHOWN = 15;

const some = (xs: readonly string[]) => (xs.length <= SHOWN ? xs.join(', ') : `${xs.slice(0, SHOWN).join(', ')} and ${xs.length - SHOWN} more (--json lists all)`);

export function formatSources(sources: readonly IamSource[]): string {
  return sources.map((s) => `${s.sha256}  ${s.name}\n  ${s.evidenceId}  ${s.kind} (${s.origin}): ${s.summary}`).join('\n');
}

export function formatIamImport(r: IamImportResult): string {
  return `${formatSources(r.sources)}\n${r.identities.length} identities in the IAM snapshot of ${r.incidentId}\n`;
}

export function formatIamCapture(r: IamCaptureResult): string {
  const skipped = r.skipped.length ? `Not captured:\n${r.skipped.map((s) => `  ${s}`).join('\n')}\n` : '';
  return `${formatIamImport(r)}${r.calls} IAM calls\n${skipped}`;
}

export function formatIamAnalysis(a: IamAnalysis): string {
  const unusedDestructive = a.unused.filter((u) => a.granted.destructive.includes(u));
  const lines = [
    a.identity,
    `  could: ${a.granted.all} actions granted, ${a.granted.destructive.length} of them destructive (boundary: ${a.boundary ?? 'none'}; SCPs: ${a.scps})`,
    `  did: ${a.calls} calls, ${a.used.all.length} actions${a.used.all.length ? `: ${some(a.used.all)}` : ''}`,
    `  destructive actions used: ${a.used.destructive.length ? a.used.destructive.join(', ') : 'none'}`,
    `  destructive actions granted but never used: ${unusedDestructive.length}${unusedDestructive.length ? ` (${some(unusedDestructive)})` : ''}`,
    `  granted but never used: ${a.unused.length} actions`,
  ];
  if (a.denied.length) {
    lines.push('  denied calls:');
    for (const d of a.denied) lines.push(`    ${d.action}  ${d.errorCode} x${d.calls}  ${d.first}${d.last !== d.first ? ` .. ${d.last}` : ''}`);
  }
  if (a.conditional.length) {
    lines.push(`  conditional (not evaluated): ${a.conditional.length} actions`);
    for (const c of a.conditional.slice(0, SHOWN)) lines.push(`    ${c.action}  ${c.condition}`);
    if (a.conditional.length > SHOWN) lines.push(`    and ${a.conditional.length - SHOWN} more (--json lists all)`);
  }
  if (a.usedButNotGranted.length) lines.push(`  used although the snapshot does not grant them (an incomplete snapshot, or a grant from elsewhere): ${some(a.usedButNotGranted)}`);
  if (a.missingPolicies.length) lines.push(`  policy documents missing from the snapshot, so "could" is a lower bound: ${a.missingPolicies.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatIncidentAnalysis(r: IamIncidentAnalysis): string {
  const out = r.analyses.map(formatIamAnalysis);
  if (r.notInSnapshot.length) out.push(`Agent identities the IAM snapshot does not describe: ${r.notInSnapshot.join(', ')}\n`);
  return out.join('\n');
}
