/** The guided workflow's view of an incident: what the run screen, the CLI's `incident show --json` and reports read. */
import type { Incident, Initiator, Operator } from './domain';
import type { Playbook } from './playbook/schema';
import type { DataCategory } from './playbook/regulatory';
import type { PhaseId } from './playbook/vocabulary';

export type StepStatus = 'todo' | 'done' | 'na';

export interface StepState {
  stepId: string;
  phaseId: PhaseId;
  status: StepStatus;
  /** Why the step does not apply (status na). */
  reason: string | null;
  /** Markdown notes. */
  note: string | null;
  by: Operator | null;
  at: string | null;
  /** Waiting for a decision answer that opens it. */
  hidden: boolean;
  /** A decision answer made it unnecessary. */
  skipped: boolean;
  /** The phase gate needs it done. */
  required: boolean;
  /** `monitoring`: the watch after Recovery, its own track (kept by logged checks; no gate waits for it). */
  track: 'monitoring' | null;
  /** For decisions: the chosen answer ids. */
  answers: string[] | null;
  /** For a step whose completion is a record (validation, sign-off, gap assessment, log collection, evidence): that record, or what it waits for. */
  proof: StepProof | null;
}

/** Why a fact-backed step is done ("completed by VR-000004 ...") or what would complete it. */
export interface StepProof {
  met: boolean;
  /** The record(s) that prove it, e.g. VR-000004; null when waiting (or when the proof is a whole analysis). */
  record: string | null;
  text: string;
  /** What to do to complete it; null when met. */
  how: string | null;
}

export interface GateStatus {
  met: boolean;
  missingSteps: Array<{ id: string; title: string; status: StepStatus }>;
  missingEvidence: Array<{ id: string; name: string; stepId: string }>;
}

export interface PhaseOverride {
  reason: string;
  by: Operator;
  at: string;
  /** What the gate was missing when it was overridden. */
  missing: GateStatus;
}

export interface PhaseState {
  id: PhaseId;
  title: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: Operator | null;
  override: PhaseOverride | null;
  gate: GateStatus;
  stepsDone: number;
  stepsTotal: number;
}

export interface AttachedEvidence {
  id: string;
  name: string;
  sha256: string;
}

export interface Escalation {
  id: string;
  when: string;
  notify: string[];
  stepId: string;
  answerId: string;
  raisedAt: string;
  raisedBy: string;
}

export type ClockStatus = 'waiting' | 'running' | 'overdue' | 'notified';

export interface RegulatoryClock {
  category: DataCategory;
  regime: string;
  rule: string;
  notify: string;
  startsAt: 'awareness' | 'discovery' | 'materiality-determination';
  /** The recorded time the clock counts from; null while it has not started (e.g. materiality not yet determined). */
  startedAt: string | null;
  dueAt: string | null;
  deadline: string;
  notifiedAt: string | null;
  notificationNote: string | null;
  status: ClockStatus;
}

export interface MonitoringCheck {
  at: string;
  result: 'clear' | 'alert';
  note: string;
  by: Operator;
  initiator: Initiator;
}

export interface MonitoringWindow {
  startedAt: string;
  endsAt: string;
  daysLeft: number;
  checks: MonitoringCheck[];
  alerts: number;
}

export interface IncidentRun {
  incident: Incident;
  /** The playbook exactly as pinned when the incident opened. */
  playbook: Playbook;
  phases: PhaseState[];
  steps: Record<string, StepState>;
  /** Evidence attached per step id or evidence artifact id. */
  evidence: Record<string, AttachedEvidence[]>;
  escalations: Escalation[];
  /** When the organisation became aware: every regulatory clock counts from it. */
  awarenessAt: string;
  /** True while nobody has confirmed the awareness time: it is then the time the incident was opened. */
  awarenessAssumed: boolean;
  materialityAt: string | null;
  clocks: RegulatoryClock[];
  /** Starts when Recovery closes: 30 days of watching the agent identities. */
  monitoring: MonitoringWindow | null;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  actorRole: string;
  initiator: Initiator;
  action: string;
  subject: string;
  summary: string;
}

export const MONITORING_DAYS = 30;
