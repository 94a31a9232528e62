/** Domain types shared by core, adapters and the renderer. Plain data only. */

export const OPERATOR_ROLES = ['IR lead', 'Investigator', 'CISO', 'Legal', 'Engineer', 'Observer'] as const;

export interface Operator {
  name: string;
  role: string;
}

/** Human work and machine work are never confused in the record. */
export type Initiator = 'human' | 'automated';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export type IncidentStatus = 'open' | 'closed';

export interface PlaybookSummary {
  id: string;
  version: string;
  title: string;
  summary: string;
  severity: Severity;
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  playbook: { id: string; version: string; title: string; sha256: string };
  params: Record<string, string>;
  /** The phase the incident is in; phases are defined by the pinned playbook. */
  phase: string;
  createdAt: string;
  createdBy: Operator;
  /** A SAMPLE incident of fictional data, for training and evaluation; every screen, report and bundle says so. */
  sample: boolean;
  /** When the 30-day watch after Recovery ends; null until Recovery closes. */
  monitoringUntil: string | null;
}

/** "open", "closed", or "closed, monitoring until 2026-06-04" while the watch after Recovery still runs. */
export function incidentStanding(i: Pick<Incident, 'status' | 'monitoringUntil'>, now: Date): string {
  if (i.status === 'closed' && i.monitoringUntil && Date.parse(i.monitoringUntil) > now.getTime()) {
    return `closed, monitoring until ${i.monitoringUntil.slice(0, 10)}`;
  }
  return i.status;
}

export interface LedgerEntry {
  scope: string;
  seq: number;
  at: string;
  actor: string;
  actorRole: string;
  initiator: Initiator;
  action: string;
  subject: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface LedgerVerification {
  scope: string;
  ok: boolean;
  entries: number;
  headHash: string | null;
  /** The first entry that does not hold, and why. */
  firstBroken?: { seq: number; action: string | null; reason: string };
}

export interface SessionInfo {
  operator: Operator | null;
  dataDir: string;
  version: string;
  mode: 'electron' | 'browser' | 'cli';
}
