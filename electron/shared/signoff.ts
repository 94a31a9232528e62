/**
 * Sign-off: the written attestations a playbook's sign-off step requires before an agent returns to production, each
 * backed by evidence, signed by each signer with their own enrolled key (SSHSIG over a sign-off request). Plain data
 * only; shared by core, adapters and the renderer.
 */
import type { Operator } from './domain';
import type { EvidenceStatus } from './evidence';
import type { SignerKeyType } from './signers';

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
export const SIGNOFF_REQUEST_FORMAT = 'firebreak-signoff-request';

/**
 * How a sign-off was signed:
 * - `sshsig`: the signer signed the request's bytes with their own key (`firebreak signoff sign` or `ssh-keygen -Y
 *   sign`), a key enrolled for their role;
 * - `ed25519-app-key`: made before signers were enrolled, with a key Firebreak created and held on the operator's
 *   machine for whatever name and role was typed. It still verifies; it does not show that the named person signed.
 */
export type SignOffScheme = 'sshsig' | 'ed25519-app-key';

/** How reports and `verify` label a sign-off made with a key the app held. */
export const APP_HELD_KEY_LABEL = "key held by Firebreak on the operator's machine";

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

/**
 * What a signer is asked to sign: the request file's canonical JSON part. The file's readable part is rendered from it,
 * and the signature covers the file's every byte.
 */
export interface SignOffRequestBody {
  format: typeof SIGNOFF_REQUEST_FORMAT;
  version: 1;
  /** SR-000001. */
  request: string;
  incident: { id: string; title: string; sample: boolean };
  step: { id: string; title: string; phaseId: string };
  /** The role the signer signs as; their name comes from the enrolment of the key that signs. */
  role: string;
  /** The sentence the signer puts their name to. */
  statement: string;
  /** The gate's facts as they were when the request was made: every attestation with its evidence, and the gate. */
  attestations: AttestationState[];
  gate: SignOffGate;
  override: SignOffOverride | null;
  /** The incident report as it stood when the request was made: its content SHA-256. */
  report: { kind: 'incident'; sha256: string };
  /** The incident's ledger when the request was made: its last entry and that entry's hash (null: empty). */
  ledger: { scope: string; seq: number; head: string | null };
  requestedBy: Operator;
  requestedAt: string;
  /** The SSH signature namespace the signature must carry. */
  namespace: string;
}

/** A request as made: the file to send to the signer. */
export interface SignOffRequestFile {
  id: string;
  incidentId: string;
  stepId: string;
  role: string;
  /** A file name for it, e.g. IR-2026-0001-ciso-SR-000003.signoff-request.txt. */
  fileName: string;
  /** The file's bytes (UTF-8): exactly what is signed. */
  text: string;
  sha256: string;
  body: SignOffRequestBody;
}

/**
 * - open: still current (gate and ledger unchanged but for sign-off entries) and the role has not signed;
 * - signed: a signature on it was imported;
 * - stale: something changed since (`changes` says what): it cannot be signed any more, make a new one;
 * - closed: the role signed through another request.
 */
export type SignOffRequestState = 'open' | 'signed' | 'stale' | 'closed';

export interface SignOffRequestSummary {
  id: string;
  incidentId: string;
  stepId: string;
  stepTitle: string;
  role: string;
  requestedAt: string;
  requestedBy: Operator;
  sha256: string;
  fileName: string;
  override: boolean;
  state: SignOffRequestState;
  /** For a stale request: what changed since it was made. */
  changes: string[];
  signOffId: string | null;
}

/** The enrolled signer of an SSH-signed sign-off, and the request they signed. */
export interface SignOffSigner {
  enrolmentId: string;
  principal: string;
  keyType: SignerKeyType;
  /** The OpenSSH public key line. */
  publicKey: string;
  enrolledBy: Operator;
  enrolledAt: string;
}

export interface SignOffRequestRef {
  id: string;
  sha256: string;
  /** The request and its signature, kept as evidence. */
  evidenceId: string | null;
  signatureEvidenceId: string | null;
  /** The incident ledger entry and hash the request pinned. */
  ledgerSeq: number;
  ledgerHead: string | null;
}

export interface SignOffRecord {
  /** SO-000001, numbered across incidents. */
  id: string;
  incidentId: string;
  stepId: string;
  stepTitle: string;
  role: string;
  /** The signer: from the enrolment of the key that signed (sshsig), or as typed (ed25519-app-key). */
  name: string;
  signedAt: string;
  /**
   * Absent in reports made before signers were enrolled, whose sign-offs were all `ed25519-app-key`.
   */
  scheme?: SignOffScheme;
  /**
   * Whose key signed, in words, for readers of the JSON report: "key held by Firebreak on the operator's machine" or
   * "the signer's own key, enrolled as SG-000003". Absent where `scheme` is.
   */
  custody?: string;
  /** ed25519-app-key: the signed statement. sshsig: the request's body. Both carry `statement`, the sentence signed. */
  statement: SignOffStatement | SignOffRequestBody;
  /** The signed bytes (ed25519-app-key: canonical JSON of the statement; sshsig: the request file) and their SHA-256. */
  statementJson: string;
  statementSha256: string;
  /** ed25519-app-key: base64 of the 64-byte Ed25519 signature. sshsig: the armored SSH signature (the .sig file). */
  signature: string;
  /** ed25519-app-key: SPKI PEM of the key. sshsig: the OpenSSH public key line. */
  publicKeyPem: string;
  /**
   * ed25519-app-key: SHA-256 of the key's DER (SPKI), `openssl pkey -pubin -in signer.pem -outform DER | sha256sum`.
   * sshsig: `SHA256:...` as `ssh-keygen -lf` prints it.
   */
  fingerprint: string;
  /** sshsig only. */
  signer?: SignOffSigner;
  request?: SignOffRequestRef;
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
  /** The fingerprint of the operator's own key for this name and role (`keys init`); null when they hold none here. */
  fingerprint: string | null;
  /** Its enrolment for this role, when it is enrolled: only then can they sign directly. */
  enrolmentId: string | null;
}
