import type { LedgerVerification, Operator } from './domain';
import type { IncidentRun } from './workflow';

/** The SSHSIG namespace of checkpoint signatures: `ssh-keygen -Y verify -n firebreak-checkpoint`. */
export const CHECKPOINT_NAMESPACE = 'firebreak-checkpoint';

/** A chain's newest entry at the moment a checkpoint was made; seq 0 and head null for an empty chain. */
export interface ChainPin {
  scope: string;
  seq: number;
  head: string | null;
}

/**
 * The operator's signature over a checkpoint's bytes: the incident chain's and the system chain's (seq, head), so a
 * history rewritten before it no longer matches. Unsigned when the operator has no key here (`unsignedReason` says so);
 * time-stamped by the organisation's TSA when one is configured and answered.
 */
export interface Checkpoint {
  id: string;
  incidentId: string;
  /** What made it: a phase close (`phase.closed containment`) or a request (`on request`). */
  reason: string;
  madeAt: string;
  madeBy: Operator;
  incident: ChainPin;
  system: ChainPin;
  /** The exact bytes signed and time-stamped (UTF-8 text). */
  body: string;
  bodySha256: string;
  signature: { armored: string; publicKey: string; fingerprint: string } | null;
  unsignedReason: string | null;
  timeStamp: { tsaUrl: string; genTime: string; tokenBase64: string } | null;
  /** Why a configured TSA gave no token (unreachable, refused); null when stamped or no TSA is configured. */
  timeStampProblem: string | null;
  /** The checkpoint's own entry in the incident's ledger. */
  ledgerSeq: number;
}

/** What a phase close or `audit checkpoint` says about the checkpoint it made. */
export interface CheckpointOutcome {
  checkpoint: Checkpoint;
  /** One line each, for the person: unsigned and why, not time-stamped and why. */
  notes: string[];
}

export interface CheckpointCheck {
  id: string;
  ok: boolean;
  signed: boolean;
  timeStamped: boolean;
  /** The first thing that does not hold; null when ok. */
  problem: string | null;
}

/** `audit verify` of an incident: the chain, then every checkpoint made of it. */
export interface AuditVerification extends LedgerVerification {
  checkpoints?: CheckpointCheck[];
}

/** Organisation settings an operator can set; each change is ledgered in the system scope. */
export const SETTING_KEYS = ['tsa-url', 'tsa-ca'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type Settings = Record<SettingKey, string | null>;

/** What a phase close or `audit checkpoint` says about the checkpoint it made, one line each (the CLI and the app). */
export function checkpointOutcomeLines(o: CheckpointOutcome): string[] {
  const c = o.checkpoint;
  const how = [c.signature ? `signed by ${c.madeBy.name}'s key ${c.signature.fingerprint}` : 'not signed', c.timeStamp ? `time-stamped ${c.timeStamp.genTime}` : null]
    .filter(Boolean)
    .join(', ');
  return [`Checkpoint ${c.id} pins ${c.incidentId} at entry ${c.incident.seq} and system at entry ${c.system.seq} (${how})`, ...o.notes];
}

/** A phase close: the run after it, and the checkpoint signed right after (null, with the problem, if none could be made). */
export interface PhaseCloseResult extends IncidentRun {
  checkpoint: CheckpointOutcome | null;
  checkpointProblem: string | null;
}
