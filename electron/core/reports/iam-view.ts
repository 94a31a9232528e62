/**
 * The agent's identity section as rows, once for every format: the HTML/PDF and Markdown renderings only lay them out.
 * Long action lists are cut to a few names with a count; `firebreak iam analyze INCIDENT --json` lists them all.
 */
import { duration } from '../../shared/duration';
import { type ReportIam, type ReportIamIdentity, lastAccessedText } from '../../shared/iam';
import { plural } from '../../shared/plural';
import { utc } from './format';

const SHOWN = 12;

export interface IamFactRow {
  label: string;
  value: string;
  /** Shown as a problem: destructive power used or left in place, calls denied, a lower bound. */
  bad: boolean;
}

export interface IamReportView {
  intro: string;
  problem: string | null;
  identities: Array<{ identity: string; rows: IamFactRow[] }>;
  credentials: Array<{ who: string; findings: string[] }>;
  revocations: { head: string[]; rows: string[][] };
  drafts: string[];
}

const some = (xs: readonly string[], incidentId: string) =>
  xs.length === 0 ? 'none' : xs.length <= SHOWN ? xs.join(', ') : `${xs.slice(0, SHOWN).join(', ')} and ${xs.length - SHOWN} more (firebreak iam analyze ${incidentId} --json lists all)`;

const n = (x: number) => x.toLocaleString('en');

/** Thousands of destructive grants read as a count by service; those of the services the agent called are named. */
function destructiveGranted(i: ReportIamIdentity, incidentId: string): string {
  const all = i.granted.destructive;
  if (all.length === 0) return 'none';
  const services = new Set(all.map((a) => a.slice(0, a.indexOf(':'))));
  const called = all.filter((a) => i.used.services.includes(a.slice(0, a.indexOf(':'))));
  const inCalled = called.length ? `; in the services it called (${i.used.services.join(', ')}): ${some(called, incidentId)}` : '';
  return `${n(all.length)} in ${plural(services.size, 'service')}${inCalled}`;
}

function identityRows(i: ReportIamIdentity, incidentId: string): IamFactRow[] {
  const seen = i.unused.lastAccessed.length ? `; services last accessed according to IAM: ${lastAccessedText(i.unused.lastAccessed)}` : '';
  return [
    { label: 'Could: actions granted', value: `${n(i.granted.all)} (permissions boundary: ${i.boundary ?? 'none'})`, bad: false },
    { label: 'Destructive actions granted', value: destructiveGranted(i, incidentId), bad: i.granted.destructive.length > 0 },
    { label: 'Did: calls in the logs', value: `${plural(i.calls, 'call')}, ${plural(i.used.all, 'distinct action')}`, bad: false },
    { label: 'Destructive actions used', value: i.used.destructive.join(', ') || 'none', bad: i.used.destructive.length > 0 },
    { label: 'Granted but never used', value: `${n(i.unused.count)} ${i.unused.count === 1 ? 'action' : 'actions'}${seen}`, bad: false },
    {
      label: 'Denied calls',
      value: i.denied.length ? i.denied.map((d) => `${d.action} ${d.errorCode} ×${d.calls} (${utc(d.first)}${d.last !== d.first ? ` to ${utc(d.last)}` : ''})`).join('; ') : 'none',
      bad: i.denied.length > 0,
    },
    {
      label: 'Conditional grants (not evaluated)',
      value: i.conditional.length ? `${i.conditional.length}: ${some(i.conditional.map((c) => `${c.action} (${c.condition})`), incidentId)}` : 'none',
      bad: false,
    },
    ...(i.missingPolicies.length ? [{ label: 'Policies missing from the snapshot', value: `${i.missingPolicies.join(', ')}: "could" is a lower bound`, bad: true }] : []),
    { label: 'Least-privilege draft', value: i.leastPrivilegeEvidence ?? 'not drafted', bad: i.leastPrivilegeEvidence === null },
  ];
}

export function iamReportView(s: ReportIam, incidentId: string): IamReportView {
  return {
    intro: `IAM snapshot from ${plural(s.sources.length, 'evidence item')}${s.sources.length ? ` (${s.sources.join(', ')})` : ''}${s.catalogue ? `; wildcards expanded with the IAM action catalogue ${s.catalogue}` : ''}.${s.notInSnapshot.length ? ` Agent identities the snapshot does not describe: ${s.notInSnapshot.join(', ')}.` : ''}`,
    problem: s.problem,
    identities: s.identities.map((i) => ({ identity: i.identity, rows: identityRows(i, incidentId) })),
    credentials: s.credentials.map((c) => ({ who: `${c.arn} (credential report ${utc(c.reportAt)})`, findings: c.findings.length ? c.findings : ['no finding'] })),
    revocations: {
      head: ['#', 'Identity', 'Revoked', 'From awareness', 'Time to halt', 'Calls that still succeeded', 'Undone'],
      rows: s.revocations.map((r) => [
        String(r.seq),
        `${r.identity} (${r.kind}, ${plural(r.calls, 'IAM call')})${r.override ? `; without a capture, because: ${r.override}` : ''}`,
        `${utc(r.revokedAt)} by ${r.revokedBy}`,
        duration(r.secondsFromAwareness),
        r.secondsToHalt !== null && r.firstDeniedAt ? `${duration(r.secondsToHalt)} (first AccessDenied ${utc(r.firstDeniedAt)})` : 'not measured: no AccessDenied in the logs collected after it',
        String(r.succeededAfter),
        r.undoneAt ? `${utc(r.undoneAt)} by ${r.undoneBy ?? 'unknown'}` : 'no',
      ]),
    },
    drafts: s.drafts.map((d) => `${d.evidenceId}: least-privilege policy and permissions boundary for ${d.identity}, drafted ${utc(d.acquiredAt)}`),
  };
}
