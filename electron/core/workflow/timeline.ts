import type { LedgerEntry } from '../../shared/domain';
import type { TimelineEntry } from '../../shared/workflow';

type Payload = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** One readable line per ledger action; unknown actions fall back to their name, so nothing is ever hidden. */
const SUMMARIES: Record<string, (e: LedgerEntry, p: Payload) => string> = {
  'incident.opened': (_e, p) => `Opened the incident "${str(p.title)}"`,
  'incident.closed': () => 'Closed the incident',
  'parameters.changed': (_e, p) => `Changed parameters: ${Object.keys((p.changes as object) ?? {}).join(', ')}`,
  'step.done': (e, p) => `Marked "${str(p.title) || e.subject}" done`,
  'step.not-applicable': (e, p) => `Marked "${str(p.title) || e.subject}" not applicable: ${str(p.reason)}`,
  'step.reopened': (e, p) => `Set "${str(p.title) || e.subject}" back to to-do`,
  'step.note': (e) => `Edited the note of ${e.subject}`,
  'decision.recorded': (_e, p) =>
    `Decided "${str(p.question)}": ${((p.answers as Array<{ label: string }>) ?? []).map((a) => a.label).join('; ')}`,
  'escalation.raised': (_e, p) => `Escalation: notify ${((p.notify as string[]) ?? []).join(', ')} (${str(p.because)})`,
  'phase.closed': (_e, p) => `Closed ${str(p.title)}`,
  'phase.closed-with-override': (_e, p) => `OVERRIDE: closed ${str(p.title)} with its gate not met. Justification: ${str(p.justification)}`,
  'phase.reopened': (_e, p) => `Reopened ${str(p.title)}: ${str(p.reason)}`,
  'awareness.recorded': (_e, p) => `Recorded awareness at ${str(p.at)}`,
  'materiality.determined': (_e, p) => `Recorded the materiality determination at ${str(p.at)}`,
  'notification.recorded': (e, p) => `Recorded the ${e.subject} notification made at ${str(p.at)}${p.late ? ' (after the deadline)' : ''}`,
  'monitoring.clear': (_e, p) => `Monitoring check: no destructive calls by agent identities. ${str(p.note)}`,
  'monitoring.alert': (_e, p) => `Monitoring ALERT: ${str(p.note)}`,
  'gap.assessed': (_e, p) => `Gap analysis of ${str(p.control).toUpperCase()}${p.stateLabel ? `: ${str(p.stateLabel)}` : ''}`,
  'gap.evidence-linked': (_e, p) => `Linked ${str(p.item)} ${str(p.name)} to ${str(p.control).toUpperCase()}`,
  'gap.evidence-unlinked': (_e, p) => `Unlinked ${str(p.item)} from ${str(p.control).toUpperCase()}`,
  'signoff.requested': (_e, p) => `Asked the ${str(p.role)} to sign "${str(p.title)}" (request ${str(p.request)}${p.gateMet === false ? ', with an override' : ''})`,
  'signoff.signed': (_e, p) =>
    `${str(p.name)} signed "${str(p.title)}" as ${str(p.role)} (${p.scheme === 'sshsig' ? `their own key ${str(p.fingerprint)}, request ${str(p.request)}` : `key ${str(p.fingerprint).slice(0, 23)}`})`,
  'signoff.signed-with-override': (_e, p) => `OVERRIDE: ${str(p.name)} signed "${str(p.title)}" as ${str(p.role)} with the gate not met. Justification: ${str(p.justification)}`,
  'signoff.evidence-linked': (e) => `Linked evidence to the attestation ${e.subject}`,
  'signoff.evidence-unlinked': (e) => `Unlinked evidence from the attestation ${e.subject}`,
  'checkpoint.signed': (e, p) =>
    `Signed ledger checkpoint ${e.subject} (${str(p.reason)}) at entry ${str((p.incident as Payload | undefined)?.seq)} with key ${str(p.fingerprint)}${p.timeStamp ? ', time-stamped' : p.timeStampProblem ? ', NOT time-stamped' : ''}`,
  'checkpoint.unsigned': (e, p) => `Ledger checkpoint ${e.subject} (${str(p.reason)}) NOT signed: ${str(p.unsignedReason)}`,
  'settings.changed': (e, p) => `Set ${e.subject} to ${str(p.to)}`,
  'settings.cleared': (e) => `Cleared ${e.subject}`,
  'report.marking-set': (_e, p) => `Set the report marking to ${str(p.to)}`,
  'cloudtrail.monitoring-check': (_e, p) => `Automated monitoring check: ${str(p.message)}`,
  'sample.backup-restored': () => 'SAMPLE: restored the full backup over the damaged database',
};

export function timeline(entries: Iterable<LedgerEntry>): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const e of entries) {
    const summarise = SUMMARIES[e.action];
    out.push({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      actorRole: e.actorRole,
      initiator: e.initiator,
      action: e.action,
      subject: e.subject,
      summary: summarise ? summarise(e, (e.payload ?? {}) as Payload) : `${e.action} ${e.subject}`,
    });
  }
  return out;
}
