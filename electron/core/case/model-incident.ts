import type { ActivityChartData } from '../../shared/cloudlogs';
import { incidentStanding } from '../../shared/domain';
import type { ReportIam } from '../../shared/iam';
import type { IncidentReportModel, KeyEvent, PhaseActions, ReportCloudTrail, ReportValidationRun, StepAction } from '../../shared/reports';
import type { SignOffRecord, StoreValidation } from '../../shared/signoff';
import type { ValidationRun } from '../../shared/validation';
import type { AttachedEvidence, IncidentRun } from '../../shared/workflow';
import { EventsRepository } from '../cloudtrail/store/events-repository';
import { findingsSummary } from '../cloudtrail/store/summary';
import type { CoreContext } from '../context';
import { utc } from '../kernel/utc';
import { ValidationRunRepository } from '../validation/runs/runs-repository';
import { type CloudTrailSource, cloudTrailKeyEvents, reportCloudTrail } from './cloudtrail-facts';
import { reportDatabaseLog } from './db-log-facts';
import { reportDestructiveCalls } from './destructive-facts';
import { reportAgentTraces } from './trace-facts';
import { gapAnalysis } from './gap-analysis';
import { incidentRun } from './incident-run';
import { type ModelOptions, reportEvidence, reportHeader, reportOverrides } from './model-common';
import { reportScopeOfLoss } from './model-scope-of-loss';
import { validationAbout } from './validation-about';
import { CaseRepository } from './repository';
import { signOffStatus, storeGates } from './signoff-status';
import { redactUrlSecretsDeep } from '../../shared/url-secrets';

export interface IncidentModelOptions extends ModelOptions {
  /** Default: the incident's CloudTrail analysis as core/cloudtrail keeps it. */
  cloudtrail?: CloudTrailSource | undefined;
  /** The agent's identity section, gathered beforehand by core/iam (a peer this layer cannot call); left out when null. */
  iam?: ReportIam | null | undefined;
}

function phaseActions(run: IncidentRun): PhaseActions[] {
  return run.playbook.phases.map((p) => {
    const state = run.phases.find((x) => x.id === p.id);
    const steps: StepAction[] = p.steps
      .filter((s) => !run.steps[s.id]?.hidden && !run.steps[s.id]?.skipped)
      .map((s) => {
        const st = run.steps[s.id];
        const attached: AttachedEvidence[] = [
          ...(run.evidence[s.id] ?? []),
          ...(s.kind === 'evidence' ? s.artifacts.flatMap((a) => run.evidence[a.id] ?? []) : []),
        ];
        const unique = [...new Map(attached.map((e) => [e.id, e])).values()];
        return {
          id: s.id,
          title: s.title,
          kind: s.kind,
          status: st?.status ?? 'todo',
          required: st?.required ?? false,
          by: st?.by ?? null,
          at: st?.at ?? null,
          reason: st?.reason ?? null,
          note: st?.note ?? null,
          answers: s.kind === 'decision' ? s.answers.filter((a) => st?.answers?.includes(a.id)).map((a) => a.label) : [],
          evidence: unique,
        };
      });
    return {
      id: p.id,
      title: state?.title ?? p.title,
      status: state?.status ?? 'open',
      closedAt: state?.closedAt ?? null,
      closedBy: state?.closedBy ?? null,
      gateMet: state?.gate.met ?? false,
      override: state?.override
        ? {
            justification: state.override.reason,
            waived: [
              ...state.override.missing.missingSteps.map((s) => `step ${s.id}: ${s.title}`),
              ...state.override.missing.missingEvidence.map((e) => `evidence ${e.id}: ${e.name}`),
            ],
          }
        : null,
      steps,
    };
  });
}

const phaseEvent = (run: IncidentRun, id: string, kind: KeyEvent['kind'], label: string): KeyEvent => {
  const p = run.phases.find((x) => x.id === id);
  return p?.status === 'closed'
    ? { kind, label, at: p.closedAt, detail: `${p.title} closed by ${p.closedBy?.name ?? 'unknown'} (${p.closedBy?.role ?? ''})${p.override ? ' WITH AN OVERRIDE' : ''}.` }
    : { kind, label, at: null, detail: `${p?.title ?? id} is still open.` };
};

const toRun = (r: ValidationRun, byId: ReadonlyMap<string, ValidationRun>): ReportValidationRun => ({
  id: r.id,
  about: validationAbout(r, byId),
  baselineRunId: r.baselineRunId,
  kind: r.kind,
  status: r.status,
  verdict: r.verdict,
  target: r.target,
  engine: r.engine,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  startedBy: { ...r.startedBy },
  summary: r.summary,
  resultSha256: r.resultSha256,
  evidenceId: r.evidenceId,
});

/** Each affected data store with its newest compare, in one sentence. */
function storesSentence(stores: readonly StoreValidation[]): string {
  const named = stores.filter((s) => s.store);
  if (named.length === 0) return 'No comparison of restored data with a baseline has finished.';
  const said = (s: StoreValidation) =>
    s.status === 'match' ? `matched (${s.runId})` : s.status === 'missing' ? 'has not been compared' : s.status === 'mismatch' ? `did NOT match (${s.runId})` : `is not proven whole (${s.runId}: ${s.status})`;
  return `Restored data compared with the baseline, per affected data store: ${named.map((s) => `${s.store?.label} ${said(s)}`).join('; ')}.`;
}

/** Said wherever the awareness time shows while nobody has confirmed it. */
const ASSUMED = 'ASSUMED: the time the incident was opened in Firebreak; nobody has confirmed when the organisation became aware';

function overview(run: IncidentRun, now: Date, m: Pick<IncidentReportModel, 'evidence' | 'cloudtrail' | 'validation' | 'overrides' | 'signOffs'>): string {
  const closed = run.phases.filter((p) => p.status === 'closed');
  const parts = [
    `${run.incident.id} was opened on ${utc(run.incident.createdAt)} from the playbook "${run.playbook.title}" (v${run.playbook.version}); severity ${run.incident.severity}, status ${incidentStanding(run.incident, now)}.`,
    `The organisation became aware of it on ${utc(run.awarenessAt)}${run.awarenessAssumed ? ` (${ASSUMED}); every notification clock counts from that time` : ''}.`,
    ...(run.escalations.length ? [`Escalated to ${[...new Set(run.escalations.flatMap((e) => e.notify))].join(', ')}.`] : []),
    ...(run.clocks.length ? [`Notification clocks: ${run.clocks.map((c) => `${c.regime} ${c.status}`).join(', ')}.`] : []),
    `${closed.length} of ${run.phases.length} phases are closed${m.overrides.length ? `; ${m.overrides.length} gate${m.overrides.length === 1 ? ' was' : 's were'} overridden (see Overrides)` : ''}.`,
    `${m.evidence.items.length} evidence item${m.evidence.items.length === 1 ? '' : 's'} ${m.evidence.items.length === 1 ? 'is' : 'are'} on record.`,
    m.cloudtrail
      ? `CloudTrail: ${m.cloudtrail.events} events analysed, ${m.cloudtrail.findings.length} finding${m.cloudtrail.findings.length === 1 ? '' : 's'}.`
      : 'No CloudTrail activity has been collected.',
    storesSentence(m.validation.stores),
    m.signOffs.missing.length ? `Sign-off is incomplete: ${m.signOffs.missing.length} signature${m.signOffs.missing.length === 1 ? '' : 's'} missing.` : 'Every required signature is given.',
  ];
  return parts.join(' ');
}

/** The report's activity chart: as many identities as the app shows, over buckets a printed page can draw. */
const REPORT_CHART_SERIES = 8;
const REPORT_CHART_BUCKETS = 240;

const withActivity = (section: ReportCloudTrail | null, activity: () => ActivityChartData): ReportCloudTrail | null => {
  if (!section || section.events === 0) return section;
  return { ...section, activity: activity() };
};

export function incidentReportModel(ctx: CoreContext, id: string, o: IncidentModelOptions): IncidentReportModel {
  const run = incidentRun(ctx, id);
  const header = reportHeader(ctx, run.incident, 'incident', o);
  const findings = (o.cloudtrail ?? ((x: string) => findingsSummary(ctx, x)))(id);
  const ct = cloudTrailKeyEvents(findings);
  const records: SignOffRecord[] = new CaseRepository(ctx.db).signOffs(id);
  const statuses = signOffStatus(ctx, run);
  const stored = new ValidationRunRepository(ctx.db).list(id);
  const byId = new Map(stored.map((r) => [r.id, r]));
  const runs = stored.reverse().map((r) => toRun(r, byId));
  const compares = runs.filter((r) => r.kind === 'compare' && r.status === 'done');
  const keyTimeline: KeyEvent[] = [
    ct.deployment,
    ct.destructive,
    {
      kind: 'detection',
      label: 'Detection',
      at: run.awarenessAt,
      detail: `The organisation became aware of the incident (the time notification clocks count from).${run.awarenessAssumed ? ` ${ASSUMED}` : ''}`,
    },
    { kind: 'incident-opened', label: 'Incident opened', at: run.incident.createdAt, detail: `Opened in Firebreak by ${run.incident.createdBy.name} (${run.incident.createdBy.role}).` },
    phaseEvent(run, 'containment', 'containment', 'Containment'),
    phaseEvent(run, 'eradication', 'eradication', 'Eradication'),
    phaseEvent(run, 'recovery', 'recovery', 'Recovery'),
    phaseEvent(run, 'post-incident', 'post-incident', 'Post-incident review'),
  ];
  const labels = new Map(run.playbook.parameters.map((p) => [p.name, p.label]));
  const sections = {
    evidence: reportEvidence(ctx, id),
    cloudtrail: withActivity(reportCloudTrail(findings), () => new EventsRepository(ctx.db).activity(id, undefined, REPORT_CHART_SERIES, REPORT_CHART_BUCKETS)),
    databaseLog: reportDatabaseLog(ctx, id),
    destructiveCalls: reportDestructiveCalls(ctx, id),
    agentTraces: reportAgentTraces(ctx, id),
    validation: { runs, latestCompare: compares.at(-1) ?? null, stores: storeGates(ctx, run) },
    scopeOfLoss: reportScopeOfLoss(ctx, id),
    overrides: reportOverrides(run, records),
    signOffs: {
      records,
      missing: statuses.flatMap((s) => s.signers.filter((x) => !x.signOff).map((x) => `${s.title}: ${x.role} has not signed`)),
    },
  };
  // An older record may hold a URL with a password (from before such URLs were refused): never export it.
  return redactUrlSecretsDeep({
    ...header,
    summary: {
      overview: overview(run, ctx.now(), sections),
      playbookSummary: run.playbook.summary,
      facts: [
        { label: 'Severity', value: run.incident.severity },
        ...(run.playbook.cvss ? [{ label: 'CVSS', value: `${run.playbook.cvss.score}${run.playbook.cvss.vector ? ` (${run.playbook.cvss.vector})` : ''}` }] : []),
        { label: 'Triage priority', value: run.playbook.triage.priority },
        { label: 'Playbook', value: `${run.playbook.title} v${run.playbook.version} (sha256 ${run.incident.playbook.sha256})` },
        { label: 'Current phase', value: run.phases.find((p) => p.id === run.incident.phase)?.title ?? run.incident.phase },
        { label: 'Awareness', value: `${utc(run.awarenessAt)}${run.awarenessAssumed ? ` (${ASSUMED})` : ''}` },
        ...(run.materialityAt ? [{ label: 'Materiality determined', value: utc(run.materialityAt) }] : []),
        ...Object.entries(run.incident.params)
          .filter(([, v]) => v !== '')
          .map(([k, v]) => ({ label: labels.get(k) ?? k, value: v })),
      ],
    },
    keyTimeline,
    phases: phaseActions(run),
    escalations: run.escalations.map((e) => ({ id: e.id, notify: [...e.notify], when: e.when, raisedAt: e.raisedAt, raisedBy: e.raisedBy })),
    clocks: run.clocks.map((c) => ({ regime: c.regime, rule: c.rule, status: c.status, dueAt: c.dueAt, notifiedAt: c.notifiedAt })),
    monitoring: run.monitoring
      ? {
          startedAt: run.monitoring.startedAt,
          endsAt: run.monitoring.endsAt,
          checks: run.monitoring.checks.map((c) => ({ at: c.at, result: c.result, note: c.note, by: `${c.initiator === 'automated' ? '[auto] ' : ''}${c.by.name} (${c.by.role})` })),
        }
      : null,
    ...sections,
    ...(o.iam ? { iam: o.iam } : {}),
    gaps: gapAnalysis(ctx, id).controls.map((c) => ({
      label: c.label,
      title: c.control?.title ?? '',
      state: c.state,
      gap: c.gap,
      owner: c.owner,
      dueDate: c.dueDate,
    })),
  });
}
