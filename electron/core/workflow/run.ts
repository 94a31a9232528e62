import type { Incident } from '../../shared/domain';
import { plural } from '../../shared/plural';
import { parsePlaybook } from '../../shared/playbook/lint';
import type { DataCategory } from '../../shared/playbook/regulatory';
import type { Playbook } from '../../shared/playbook/schema';
import { PHASE_IDS, PHASE_TITLES, type PhaseId } from '../../shared/playbook/vocabulary';
import {
  type AttachedEvidence,
  type GateStatus,
  type IncidentRun,
  MONITORING_DAYS,
  type MonitoringWindow,
  type PhaseState,
  type StepProof,
  type StepState,
} from '../../shared/workflow';
import { FirebreakError } from '../errors';
import { evidenceRepository } from '../evidence/repository';
import { IncidentRepository } from '../incidents/repository';
import type { Db } from '../store/database';
import { regulatoryClocks } from './clocks';
import { WorkflowRepository } from './repository';
import { type StepIndex, indexSteps, stepVisibility } from './visibility';

const parsed = new Map<string, { playbook: Playbook; index: StepIndex }>();

/** The playbook an incident pinned, parsed once per content hash. */
export function pinnedPlaybook(incident: Incident, content: string): { playbook: Playbook; index: StepIndex } {
  const hit = parsed.get(incident.playbook.sha256);
  if (hit) return hit;
  let playbook: Playbook;
  try {
    playbook = parsePlaybook(content);
  } catch (e) {
    throw new FirebreakError(
      'unavailable',
      `The playbook ${incident.playbook.id} v${incident.playbook.version} pinned by ${incident.id} cannot be run: ${(e as Error).message}`,
    );
  }
  const entry = { playbook, index: indexSteps(playbook) };
  parsed.set(incident.playbook.sha256, entry);
  return entry;
}

const DAY = 86_400_000;

/** What the run needs to see of an incident to tell its fact-backed steps' proofs. */
export interface ProofInput {
  incident: Incident;
  playbook: Playbook;
  /** Evidence linked per step id or artifact id. */
  attached: ReadonlyMap<string, ReadonlyArray<{ id: string; name: string }>>;
}

/**
 * The proof of each fact-backed step (validation, sign-off, gap assessment, log collection, evidence), by step id. Those
 * records are written by domains above the workflow, so the read side (core/case) supplies this and core hands it in.
 */
export type StepProofs = (input: ProofInput) => ReadonlyMap<string, StepProof>;

/** Everything the run screen shows, derived from the pinned playbook and what has been recorded. */
export function loadRun(db: Db, incident: Incident, now: Date, readProofs: StepProofs): IncidentRun {
  const repo = new WorkflowRepository(db);
  const content = new IncidentRepository(db).playbookContent(incident.id);
  if (content === undefined) throw new FirebreakError('not-found', `There is no incident ${incident.id}.`);
  const { playbook, index } = pinnedPlaybook(incident, content);
  const stepRows = new Map(repo.steps(incident.id).map((r) => [r.step_id, r]));
  const phaseRows = new Map(repo.phases(incident.id).map((r) => [r.phase_id, r]));
  const answers = repo.decisions(incident.id);
  const { hidden, skipped } = stepVisibility(index, answers);
  const attached = evidenceRepository(db).attachedToSteps(incident.id);
  const required = new Set(playbook.phases.flatMap((p) => p.gate.steps));
  const proofs = readProofs({ incident, playbook, attached });
  const recoveryRow = phaseRows.get('recovery');
  const monitoring =
    recoveryRow?.status === 'closed' && recoveryRow.closed_at ? monitoringWindow(recoveryRow.closed_at, repo, incident.id, now) : null;

  const steps: Record<string, StepState> = {};
  for (const [id, { step, phaseId }] of index.byId) {
    const r = stepRows.get(id);
    const decided = step.kind === 'decision' ? (answers.get(id) ?? null) : null;
    const watch = step.kind === 'checklist' && step.track === 'monitoring';
    const proof = watch ? watchProof(incident.id, monitoring) : (proofs.get(id) ?? null);
    // A decision is done once answered; a fact-backed step once its record exists (a tick recorded before counts for nothing).
    const recorded = r?.status ?? 'todo';
    const status = decided ? 'done' : proof ? (proof.met ? 'done' : recorded === 'na' ? 'na' : 'todo') : recorded;
    steps[id] = {
      stepId: id,
      phaseId,
      status,
      reason: r?.reason ?? null,
      note: r?.note ?? null,
      by: r ? { name: r.updated_by, role: r.updated_role } : null,
      at: r?.updated_at ?? null,
      hidden: hidden.has(id),
      skipped: skipped.has(id),
      required: required.has(id) && !hidden.has(id) && !skipped.has(id),
      track: watch ? 'monitoring' : null,
      answers: decided,
      proof,
    };
  }

  const evidence: Record<string, AttachedEvidence[]> = Object.fromEntries(attached);
  const phases: PhaseState[] = playbook.phases.map((p) => {
    const r = phaseRows.get(p.id);
    const visible = p.steps.filter((s) => !steps[s.id]?.hidden && !steps[s.id]?.skipped);
    return {
      id: p.id,
      title: p.title || PHASE_TITLES[p.id],
      status: r?.status ?? 'open',
      closedAt: r?.status === 'closed' ? r.closed_at : null,
      closedBy: r?.status === 'closed' && r.closed_by ? { name: r.closed_by, role: r.closed_role ?? '' } : null,
      override:
        r?.status === 'closed' && r.override_reason
          ? {
              reason: r.override_reason,
              by: { name: r.closed_by ?? '', role: r.closed_role ?? '' },
              at: r.closed_at ?? '',
              missing: JSON.parse(r.override_missing ?? '{"met":false,"missingSteps":[],"missingEvidence":[]}') as GateStatus,
            }
          : null,
      gate: gateStatus(playbook, p.id, steps, attached),
      stepsDone: visible.filter((s) => steps[s.id]?.status !== 'todo').length,
      stepsTotal: visible.length,
    };
  });

  const times = repo.times(incident.id);
  const awarenessAt = times.get('awareness') ?? incident.createdAt;
  const materialityAt = times.get('materiality') ?? null;
  const categories = confirmedCategories(playbook, answers);

  return {
    incident,
    playbook,
    phases,
    steps,
    evidence,
    escalations: repo.escalations(incident.id).map((e) => {
      const def = playbook.triage.escalation.find((x) => x.id === e.escalation_id);
      return {
        id: e.escalation_id,
        when: def?.when ?? '',
        notify: def?.notify ?? [],
        stepId: e.step_id,
        answerId: e.answer_id,
        raisedAt: e.raised_at,
        raisedBy: e.raised_by,
      };
    }),
    awarenessAt,
    awarenessAssumed: !times.has('awareness'),
    materialityAt,
    clocks: regulatoryClocks({ categories, awarenessAt, materialityAt, notifications: repo.notifications(incident.id), now }),
    monitoring,
  };
}

/** The watch is kept by logged checks, not by a tick: it is done when its 30 days have passed. */
function watchProof(id: string, m: MonitoringWindow | null): StepProof {
  const how = `log each day's check in the Monitoring panel, or: firebreak monitoring check ${id} --clear|--alert --note TEXT`;
  if (!m) return { met: false, record: null, text: `the ${MONITORING_DAYS}-day watch starts when Recovery closes`, how: `close Recovery, then ${how}` };
  const checks = `${plural(m.checks.length, 'check')} logged, ${plural(m.alerts, 'alert')}`;
  if (m.daysLeft > 0) return { met: false, record: null, text: `monitoring until ${m.endsAt.slice(0, 10)}: ${checks}`, how };
  return { met: true, record: null, text: `watched from ${m.startedAt.slice(0, 10)} to ${m.endsAt.slice(0, 10)}: ${checks}`, how: null };
}

function monitoringWindow(start: string, repo: WorkflowRepository, id: string, now: Date): MonitoringWindow {
  const endsAt = new Date(Date.parse(start) + MONITORING_DAYS * DAY);
  const checks = repo.monitoringChecks(id);
  return {
    startedAt: start,
    endsAt: endsAt.toISOString(),
    daysLeft: Math.max(0, Math.ceil((endsAt.getTime() - now.getTime()) / DAY)),
    checks,
    alerts: checks.filter((c) => c.result === 'alert').length,
  };
}

/** What a phase's gate still needs: required steps not done, required evidence not attached. */
export function gateStatus(
  playbook: Playbook,
  phaseId: PhaseId,
  steps: Record<string, StepState>,
  attached: ReadonlyMap<string, unknown[]>,
): GateStatus {
  const phase = playbook.phases.find((p) => p.id === phaseId);
  if (!phase) return { met: true, missingSteps: [], missingEvidence: [] };
  const titles = new Map(playbook.phases.flatMap((p) => p.steps.map((s) => [s.id, s.title] as const)));
  const missingSteps = phase.gate.steps
    .filter((id) => steps[id]?.required && steps[id]?.status !== 'done')
    .map((id) => ({ id, title: titles.get(id) ?? id, status: steps[id]?.status ?? 'todo' }));
  const artifacts = new Map(
    playbook.phases.flatMap((p) => p.steps.flatMap((s) => (s.kind === 'evidence' ? s.artifacts.map((a) => [a.id, { name: a.name, stepId: s.id }] as const) : []))),
  );
  const missingEvidence = (phase.gate.evidence ?? [])
    .filter((id) => {
      const stepId = artifacts.get(id)?.stepId;
      // Evidence behind a step a decision skipped or never opened is not required either.
      if (stepId && (steps[stepId]?.hidden || steps[stepId]?.skipped)) return false;
      return (attached.get(id)?.length ?? 0) === 0;
    })
    .map((id) => ({ id, name: artifacts.get(id)?.name ?? id, stepId: artifacts.get(id)?.stepId ?? '' }));
  return { met: missingSteps.length === 0 && missingEvidence.length === 0, missingSteps, missingEvidence };
}

function confirmedCategories(playbook: Playbook, answers: ReadonlyMap<string, readonly string[]>): DataCategory[] {
  const out = new Set<DataCategory>();
  for (const phase of playbook.phases) {
    for (const step of phase.steps) {
      if (step.kind !== 'decision') continue;
      const chosen = answers.get(step.id) ?? [];
      for (const a of step.answers) if (chosen.includes(a.id)) for (const c of a.dataCategories ?? []) out.add(c);
    }
  }
  return [...out];
}

export const phaseOrder = (id: PhaseId): number => PHASE_IDS.indexOf(id);
