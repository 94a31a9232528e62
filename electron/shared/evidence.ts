/** Evidence domain types shared by core, adapters and the renderer. Plain data only. */
import type { Initiator } from './domain';

export const EVIDENCE_SOURCE_KINDS = [
  'file',
  'cloudtrail-api',
  'cloudtrail-export',
  'database-baseline',
  'validation-result',
  'report',
] as const;
export type EvidenceSourceKind = (typeof EVIDENCE_SOURCE_KINDS)[number];

/** What the last check of the stored copy found. An item is intact at intake: its hash is the reference. */
export type EvidenceStatus = 'intact' | 'modified' | 'missing';

export const SECRET_KINDS = [
  'aws-access-key-id',
  'aws-secret-access-key',
  'private-key',
  'github-token',
  'slack-token',
  'slack-webhook',
  'ai-api-key',
  'jwt',
  'bearer-token',
  'database-url-password',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/**
 * A credential seen in text evidence. The secret itself is never stored: only a redacted form that keeps its type
 * prefix and last characters, and a fingerprint (first 16 hex of its SHA-256) to match the same secret across items.
 */
export interface SecretFinding {
  kind: SecretKind;
  /** A readable label, e.g. "AWS access key id". */
  label: string;
  redacted: string;
  fingerprint: string;
  /** 1-based line of the first occurrence. */
  line: number;
  occurrences: number;
}

export interface EvidenceActor {
  name: string;
  role: string;
  initiator: Initiator;
}

export interface EvidenceItem {
  /** EV-000001: unique across incidents. */
  id: string;
  incidentId: string;
  /** The original file name as text (bytes that are not UTF-8 show as U+FFFD). */
  name: string;
  /** The exact bytes of the original name, base64, present only when they are not valid UTF-8. */
  nameBytes?: string;
  sha256: string;
  /** Present when legacy hashes were enabled at an intake of this content. */
  sha1?: string;
  md5?: string;
  size: number;
  sourceKind: EvidenceSourceKind;
  /** UTC ISO time of the first acquisition. */
  acquiredAt: string;
  acquiredBy: EvidenceActor;
  description: string | null;
  originalPath: string | null;
  /** Exact bytes of the original path, base64, present only when they are not valid UTF-8. */
  originalPathBytes?: string;
  /** The source file's modification time (UTC ISO), when it came from a file. */
  modifiedAt: string | null;
  linkedSteps: string[];
  /** Secret-scan findings (text evidence only). */
  findings: SecretFinding[];
  status: EvidenceStatus;
  /** When the stored copy was last re-hashed (null: only the hash at intake). */
  lastVerifiedAt: string | null;
  /** How many times this content was acquired for the incident (the first intake counts). */
  acquisitions: number;
  /** Present when asked for (evidence.list with custody, evidence.get). */
  custody?: CustodyEvent[];
}

export type CustodyKind = 'acquisition' | 'verification' | 'link' | 'export' | 'note';

/** One entry in an item's chain of custody. Each is a ledger entry of the incident's chain (seq, hash). */
export interface CustodyEvent {
  itemId: string;
  kind: CustodyKind;
  /** The ledger action, e.g. evidence.acquired, evidence.reacquired, evidence.verified. */
  action: string;
  seq: number;
  hash: string;
  at: string;
  actor: EvidenceActor;
  /** One line for people, e.g. "verified: intact" or "linked to step contain-agent". */
  summary: string;
  details: Record<string, unknown>;
}

export interface ItemVerification {
  id: string;
  name: string;
  sha256: string;
  status: EvidenceStatus;
  /** The hash found now, when the file could be read and differs. */
  actualSha256?: string;
  /** Why a file counts as missing when it exists but cannot be read. */
  detail?: string;
}

/** The `evidence verify --json` shape: fields may be added, never renamed. */
export interface EvidenceVerification {
  ok: boolean;
  incidentId: string;
  verifiedAt: string;
  items: ItemVerification[];
}

export type ManifestFormat = 'json' | 'csv' | 'sha256sums';

export interface EvidenceManifest {
  format: ManifestFormat;
  /** A suggested file name, e.g. IR-2026-0001-SHA256SUMS. */
  fileName: string;
  mediaType: string;
  /** utf8 unless the manifest holds names whose bytes are not UTF-8 (then base64, to keep them exactly). */
  encoding: 'utf8' | 'base64';
  content: string;
  /** SHA-256 of the manifest bytes, recorded in the export custody event. */
  sha256: string;
  items: number;
}

/** Progress of reading evidence: an intake, an upload or a verification. */
export interface ByteProgress {
  bytesDone: number;
  bytesTotal: number | null;
}

/** Progress of an intake of files: the bytes, and the item just committed (its index in the paths given). */
export interface IntakeProgress extends ByteProgress {
  committed?: { index: number; id: string; sha256: string };
}

export interface EvidenceSettings {
  /** Compute SHA-1 and MD5 too, for matching legacy tools. */
  legacyHashes: boolean;
}
