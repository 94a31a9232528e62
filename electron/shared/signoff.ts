/**
 * Sign-off: the written attestations a playbook's sign-off step requires before an agent returns to production, each
 * backed by evidence, signed with Ed25519 by each signer. Plain data only; shared by core, adapters and the renderer.
 */
import type { EvidenceStatus } from './evidence';

/** IR lead, CISO and Legal sign every sign-off: the record is written for them. A playbook step may add roles. */
export const DEFAULT_SIGNER_ROLES = ['IR lead', 'CISO', 'Legal'] as const;

export const signerRoleKey = (r: string): string => r.toLowerCase().replace(/[\s_-]+/g, '');

/** Who signs a sign-off step: IR lead, CISO and Legal always, plus any role the playbook's step names. */
export function signerRoles(stepRoles: readonly string[]): string[] {
  const out = new Map<string, string>();
  for (const r of [...DEFAULT_SIGNER_ROLES, ...stepRoles]) if (!out.has(signerRoleKey(r))) out.set(signerRoleKey(r), r);
  return [...out.values()];
}

export const SIGNATURE_ALGORITHM = 'Ed25519';
export const SIGNOFF_STATEMENT_FORMAT = 'firebreak-signoff';

export interface AttestationEvidence {
  id: string;
  name: string;
  sha256: string;
  /** What the last check of the stored copy found; only intact evidence backs an attestation. */
  status: EvidenceStatus;
}

export interface AttestationState {
  id: string;
  text: string;
  evidence: AttestationEvidence[];
}

/**
 * What the newest database compare of the incident (the one started last, whatever became of it) proves:
 * - match: it finished, every table matched, and it covered every table of the database;
 * - mismatch: it finished and some table differs;
 * - partial: the tables it compared match, but the baseline's scope left tables out (`notCompared`), or what it
 *   covered cannot be told (`detail` says why);
 * - not-proven: it failed, was cancelled, was cut off by a restart or is still running; an older match does not stand
 *   in for it;
 * - missing: no compare was ever started.
 * Only `match` meets the gate.
 */
export type ValidationGateStatus = 'match' | 'mismatch' | 'partial' | 'not-proven' | 'missing';

export interface ValidationGate {
  status: ValidationGateStatus;
  runId: string | null;
  /** When the compare finished (when it started, if it has not finished). */
  comparedAt: string | null;
  summary: string | null;
  evidenceId: string | null;
  /** The run's own status when it did not finish ('failed', 'cancelled', 'running'); absent otherwise. */
  runStatus?: 'running' | 'failed' | 'cancelled' | 'interrupted';
  /** The database's tables the compare did not look at (partial); absent otherwise. */
  notCompared?: string[];
  /** Why the compare does not prove the restore, in words (partial, not-proven); absent otherwise. */
  detail?: string;
  /** The data store the compare is about (absent in statements signed before stores were counted one by one). */
  store?: { key: string; label: string } | null;
}

/** One affected data store and its newest compare; `store` is null only when the incident names no store at all. */
export type StoreValidation = ValidationGate & { store: { key: string; label: string } | null };

export interface SignOffGate {
  met: boolean;
  /** The store that keeps the gate shut first (or the newest match when every store matches). */
  validation: ValidationGate;
  /** Every affected data store with its newest compare: the gate needs a complete match for each. */
  stores: StoreValidation[];
  /** One line per thing that keeps the gate shut, naming it. */
  missing: string[];
}

export interface SignOffOverride {
  justification: string;
  /** What the gate was missing when the signer overrode it. */
  waived: string[];
}

/**
 * The exact document a signer signs: its canonical JSON (keys sorted, no spaces) is the signed message, so
 * `openssl pkeyutl -verify -rawin` checks the signature over the statement file's bytes.
 */
export interface SignOffStatement {
  format: typeof SIGNOFF_STATEMENT_FORMAT;
  version: 1;
  incidentId: string;
  stepId: string;
  stepTitle: string;
  signer: { name: string; role: string };
  signedAt: string;
  /** The sentence the signer puts their name to. */
  statement: string;
  attestations: Array<{ id: string; text: string; evidence: Array<{ id: string; name: string; sha256: string }> }>;
  /** The incident report as it stood when signing (earlier signatures included): its content SHA-256. */
  report: { kind: 'incident'; sha256: string };
  validation: ValidationGate;
  /** Every affected data store with the run that proves it, when signed (absent in statements signed before). */
  stores?: StoreValidation[];
  override: SignOffOverride | null;
  publicKey: { algorithm: typeof SIGNATURE_ALGORITHM; fingerprint: string };
}

export interface SignOffRecord {
  /** SO-000001, numbered across incidents. */
  id: string;
  incidentId: string;
  stepId: string;
  stepTitle: string;
  role: string;
  name: string;
  signedAt: string;
  statement: SignOffStatement;
  /** The signed bytes (canonical JSON of `statement`) and their SHA-256. */
  statementJson: string;
  statementSha256: string;
  /** Base64 of the 64-byte Ed25519 signature. */
  signature: string;
  /** SPKI PEM of the signer's public key. */
  publicKeyPem: string;
  /** SHA-256 of the public key's DER (SPKI): `openssl pkey -pubin -in signer.pem -outform DER | sha256sum`. */
  fingerprint: string;
  reportSha256: string;
  /** The signed report, kept as evidence. */
  reportEvidenceId: string | null;
  override: SignOffOverride | null;
  /** The ledger entry that records the signature. */
  ledgerSeq: number;
}

export interface SignerSlot {
  role: string;
  signOff: SignOffRecord | null;
}

export interface SignOffStatus {
  incidentId: string;
  stepId: string;
  title: string;
  phaseId: string;
  attestations: AttestationState[];
  gate: SignOffGate;
  /** Every role that must sign, with its signature once given. */
  signers: SignerSlot[];
  complete: boolean;
  signOffs: SignOffRecord[];
}

export interface SignerKeyInfo {
  name: string;
  role: string;
  /** Null until the signer's key is created, on their first signature. */
  fingerprint: string | null;
}
