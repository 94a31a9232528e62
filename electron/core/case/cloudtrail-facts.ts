import { plural } from '../../shared/plural';
import type { FindingsSummary } from '../../shared/cloudtrail';
import type { KeyEvent, ReportCloudTrail } from '../../shared/reports';

/** Where reports read an incident's CloudTrail analysis from (core/cloudtrail); null when nothing was collected. */
export type CloudTrailSource = (incidentId: string) => FindingsSummary | null;

const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function reportCloudTrail(s: FindingsSummary | null): ReportCloudTrail | null {
  if (!s || (s.events === 0 && s.findings.length === 0)) return null;
  const findings = [...s.findings]
    .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || (instant(a.firstAt) || 0) - (instant(b.firstAt) || 0))
    .map((f) => ({
      id: f.id,
      kind: f.kind,
      severity: f.severity,
      title: f.title,
      principalArn: f.principalArn,
      agentIdentity: f.agentIdentity,
      attack: [...f.attack],
      firstAt: f.firstAt,
      lastAt: f.lastAt,
      events: f.eventIds.length,
    }));
  return {
    events: s.events,
    firstEventTime: s.firstEventTime,
    lastEventTime: s.lastEventTime,
    agentIdentities: [...s.agentIdentities],
    findings,
    ...(s.analysing ? { analysing: { ...s.analysing } } : {}),
  };
}

/** An ISO time as milliseconds; `…00Z` and `…00.100Z` are compared as instants, never as text. */
const instant = (iso: string | null): number => (iso ? Date.parse(iso) : Number.NaN);

/**
 * The item with the earliest time, at the precision its source gives: Azure, GCP and trace times carry milliseconds
 * and decide; items at the same instant (CloudTrail's whole seconds) keep the order the analysis gave them, since the
 * sort is stable and the times cannot say which came first.
 */
export const earliest = <T>(items: T[], at: (t: T) => string | null): T | undefined =>
  items.filter((t) => Number.isFinite(instant(at(t)))).sort((a, b) => instant(at(a)) - instant(at(b)))[0];

/**
 * The two points of the story only CloudTrail can tell: when an agent identity was first seen acting (the agent was
 * deployed no later than that) and its first destructive call that succeeded.
 */
export function cloudTrailKeyEvents(s: FindingsSummary | null): { deployment: KeyEvent; destructive: KeyEvent } {
  const deployment: KeyEvent = {
    kind: 'agent-deployment',
    label: 'Agent deployment',
    at: null,
    detail: 'Not established: no CloudTrail activity of an agent identity has been collected for this incident.',
  };
  const destructive: KeyEvent = {
    kind: 'destructive-action',
    label: 'Destructive action',
    at: null,
    detail: 'Not established: no successful destructive call by an agent identity is in the collected CloudTrail records.',
  };
  if (!s) return { deployment, destructive };
  const agentFinding = earliest(
    s.findings.filter((f) => f.agentIdentity),
    (f) => f.firstAt,
  );
  const firstAgentAt = agentFinding?.firstAt ?? (s.agentIdentities.length ? s.firstEventTime : null);
  if (firstAgentAt) {
    deployment.at = firstAgentAt;
    deployment.detail = `First recorded call by an agent identity${agentFinding?.principalArn ? ` (${agentFinding.principalArn})` : ''} in the collected CloudTrail records: the agent was deployed no later than this.`;
  }
  const calls = s.agents.flatMap((a) => a.firstDestructive.filter((d) => !d.errorCode));
  const first = earliest(calls, (d) => d.eventTime);
  if (first) {
    destructive.at = first.eventTime;
    const said = (d: (typeof calls)[number]) =>
      `${d.eventSource} ${d.eventName} by ${d.principalArn}${d.resources.length ? ` on ${d.resources.slice(0, 3).join(', ')}` : ''} (event ${d.eventID})`;
    // Every distinct destructive call, not only the first: the legal reader needs the whole list of what was destroyed.
    const later = calls.filter((d) => d !== first).sort((a, b) => instant(a.eventTime) - instant(b.eventTime));
    const sameInstant = later.filter((d) => instant(d.eventTime) === instant(first.eventTime)).length;
    const tie = sameInstant
      ? ` ${plural(sameInstant, 'other destructive call')} fell in the same ${first.eventTime.includes('.') ? 'instant' : 'second'}; the log cannot say which came first.`
      : '';
    destructive.detail = `${said(first)}.${tie}${later.length ? ` Then ${plural(later.length, 'other destructive call')}: ${later.map((d) => `${said(d)} at ${d.eventTime}`).join('; ')}.` : ''}`;
  } else {
    const finding = earliest(
      s.findings.filter((f) => f.kind === 'first-destructive' || f.kind === 'high-risk'),
      (f) => f.firstAt,
    );
    if (finding?.firstAt) {
      destructive.at = finding.firstAt;
      destructive.detail = `${finding.title} (finding ${finding.id}).`;
    }
  }
  return { deployment, destructive };
}
