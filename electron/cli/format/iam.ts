import type { AgentIdentities } from '../../shared/cloudtrail';
import { duration } from '../../shared/duration';
import { type GapFactOffer, type IamAnalysis, type IamCaptureResult, type IamImportResult, type IamIncidentAnalysis, type IamSource, type LeastPrivilegeDraft, type Revocation, type RevokeCall, type RevokePlan, lastAccessedText } from '../../shared/iam';

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

/** Service last-accessed data beside the unused actions: what IAM saw the identity use, beyond the logs collected. */
function lastAccessedNote(a: IamAnalysis): string {
  const seen = a.unusedLastAccessed ?? [];
  return seen.length ? `; their services last accessed (IAM): ${lastAccessedText(seen)}` : '';
}

export function formatIamAnalysis(a: IamAnalysis): string {
  const unusedDestructive = a.unused.filter((u) => a.granted.destructive.includes(u));
  const lines = [
    a.identity,
    `  could: ${a.granted.all} actions granted, ${a.granted.destructive.length} of them destructive (boundary: ${a.boundary ?? 'none'}; SCPs: ${a.scps})`,
    `  did: ${a.calls} ${a.calls === 1 ? 'call' : 'calls'}, ${a.used.all.length} ${a.used.all.length === 1 ? 'action' : 'actions'}${a.used.all.length ? `: ${some(a.used.all)}` : ''}`,
    `  destructive actions used: ${a.used.destructive.length ? a.used.destructive.join(', ') : 'none'}`,
    `  destructive actions granted but never used: ${unusedDestructive.length}${unusedDestructive.length ? ` (${some(unusedDestructive)})` : ''}`,
    `  granted but never used: ${a.unused.length} actions${lastAccessedNote(a)}`,
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

export function formatAgents(incidentId: string, a: AgentIdentities): string {
  if (a.identities.length === 0) return `${incidentId} names no agent identity: set one with firebreak iam agents ${incidentId} ARN\n`;
  const from = (x: string) => (a.set.includes(x) ? 'set' : 'from the playbook parameters');
  return `Agent identities of ${incidentId}:\n${a.identities.map((x) => `  ${x}  (${from(x)})`).join('\n')}\n`;
}

export function formatGapFacts(incidentId: string, offers: readonly GapFactOffer[], accepted: readonly string[]): string {
  if (offers.length === 0) return `No AC-6 or AC-2 facts for ${incidentId} yet: import or capture the agent's IAM state first.\n`;
  const out = offers.map((x) => {
    const state = accepted.includes(x.control) ? `accepted: gap text recorded, ${x.evidence.length} evidence items linked` : `offered (accept with --accept ${x.control}, or write your own with firebreak gap set ${incidentId} ${x.control} --gap TEXT)`;
    return `${x.control} ${state}\n${x.facts.map((f) => `  - ${f}`).join('\n')}\n  evidence: ${x.evidence.join(', ') || 'none'}\n`;
  });
  return out.join('\n');
}

export function formatIncidentAnalysis(r: IamIncidentAnalysis): string {
  const out = r.analyses.map(formatIamAnalysis);
  if (r.notInSnapshot.length) out.push(`Agent identities the IAM snapshot does not describe: ${r.notInSnapshot.join(', ')}\n`);
  for (const c of r.credentials) out.push(`Credentials of ${c.arn} (AC-2, credential report ${c.reportAt ?? 'of unknown date'}):\n${c.findings.map((f) => `  ${f}`).join('\n')}\n`);
  return out.join('\n');
}

/** A call as the AWS CLI command that does the same, policy JSON included. */
export function awsCliLine(c: RevokeCall): string {
  const flag = (k: string) => `--${k.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
  const quote = (v: string) => (/^[A-Za-z0-9_./:=@-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
  return `aws iam ${c.api.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()} ${Object.entries(c.params).map(([k, v]) => `${flag(k)} ${quote(v)}`).join(' ')}`;
}

export function formatRevokePlan(p: RevokePlan): string {
  const lines = [`Revocation of ${p.identity}: ${p.calls.length} IAM calls`, ...p.calls.map((c) => `  ${awsCliLine(c)}`), 'Undo:', ...p.undo.map((c) => `  ${awsCliLine(c)}`)];
  if (p.refusal) lines.push(`Refused as it stands: ${p.refusal}`);
  return `${lines.join('\n')}\n`;
}

export function formatRevocations(rs: readonly Revocation[]): string {
  if (rs.length === 0) return 'No revocations.\n';
  return rs
    .map((r) => {
      const lines = [
        `Revocation ${r.seq}: ${r.identity}, ${r.revokedAt} by ${r.revokedBy}${r.undoneAt ? ` (undone ${r.undoneAt} by ${r.undoneBy})` : ''}`,
        `  ${duration(r.secondsFromAwareness)} after awareness (${r.awarenessAt})`,
        r.firstDeniedAt !== null && r.secondsToHalt !== null
          ? `  time to halt: ${duration(r.secondsToHalt)} (first AccessDenied ${r.firstDeniedAt})`
          : '  time to halt: not yet known (no AccessDenied by it in the logs collected after the revocation)',
      ];
      if (r.succeededAfter) lines.push(`  ${r.succeededAfter} ${r.succeededAfter === 1 ? 'call' : 'calls'} by it succeeded after the revocation`);
      if (r.override) lines.push(`  overridden: ${r.override}`);
      lines.push(...r.calls.map((c) => `  sent: ${awsCliLine(c)}`));
      return lines.join('\n');
    })
    .join('\n')
    .concat('\n');
}

export function formatLeastPrivilege(d: LeastPrivilegeDraft): string {
  const linked = d.linkedStep ? `, evidence for the Eradication step "${d.linkedStep.title}" (${d.linkedStep.id})` : '';
  const lines = [`Least-privilege draft for ${d.identity}${d.evidenceId ? ` (kept as ${d.evidenceId}${linked})` : ''}`, JSON.stringify(d.policy, null, 2), 'Permissions boundary:', JSON.stringify(d.boundary, null, 2), 'Commands:', ...d.commands.map((c) => `  ${c}`)];
  if (d.leftOut.length) lines.push(`Destructive calls it made, left out: ${d.leftOut.join(', ')}`);
  if (d.wildcardResources.length) lines.push(`Review: the logs named no ARN for ${d.wildcardResources.join(', ')}, so they keep Resource "*"`);
  return `${lines.join('\n')}\n`;
}
