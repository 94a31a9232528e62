import type { AttestationEvidence, SignOffRecord, SignOffScheme, SignOffSigner, SignOffStatement } from '../../shared/signoff';
import type { Db } from '../store/database';
import { storedRequestBody } from './request-file';

interface SignOffRow {
  id: string;
  incident_id: string;
  step_id: string;
  role: string;
  name: string;
  signed_at: string;
  statement: string;
  statement_sha256: string;
  signature: string;
  public_key: string;
  fingerprint: string;
  report_sha256: string;
  report_evidence_id: string | null;
  ledger_seq: number;
  scheme: SignOffScheme;
  signer_id: string | null;
  request_id: string | null;
  request_evidence_id: string | null;
  signature_evidence_id: string | null;
  pinned_seq: number | null;
  pinned_head: string | null;
}

export interface NewSignOff {
  incidentId: string;
  stepId: string;
  role: string;
  name: string;
  signedAt: string;
  statementJson: string;
  statementSha256: string;
  signature: string;
  publicKeyPem: string;
  fingerprint: string;
  reportSha256: string;
  reportEvidenceId: string | null;
  overrideReason: string | null;
  ledgerSeq: number;
  /** sshsig sign-offs: the enrolment that signed, the request and its signature kept as evidence. */
  sshsig?: { signerId: string; requestId: string; requestEvidenceId: string; signatureEvidenceId: string };
}

const toRecord = (r: SignOffRow, signerOf: (id: string) => SignOffSigner | null): SignOffRecord => {
  const statement = r.scheme === 'sshsig' ? storedRequestBody(r.statement) : (JSON.parse(r.statement) as SignOffStatement);
  const base: SignOffRecord = {
    id: r.id,
    incidentId: r.incident_id,
    stepId: r.step_id,
    stepTitle: 'step' in statement ? statement.step.title : statement.stepTitle,
    role: r.role,
    name: r.name,
    signedAt: r.signed_at,
    scheme: r.scheme,
    statement,
    statementJson: r.statement,
    statementSha256: r.statement_sha256,
    signature: r.signature,
    publicKeyPem: r.public_key,
    fingerprint: r.fingerprint,
    reportSha256: r.report_sha256,
    reportEvidenceId: r.report_evidence_id,
    override: statement.override,
    ledgerSeq: r.ledger_seq,
  };
  if (r.scheme !== 'sshsig' || !r.signer_id || !r.request_id) return base;
  const signer = signerOf(r.signer_id);
  return {
    ...base,
    ...(signer ? { signer } : {}),
    request: {
      id: r.request_id,
      sha256: r.statement_sha256,
      evidenceId: r.request_evidence_id,
      signatureEvidenceId: r.signature_evidence_id,
      ledgerSeq: r.pinned_seq ?? 0,
      ledgerHead: r.pinned_head,
    },
  };
};

/** signoffs and attestation_evidence. Writes happen inside the caller's transaction, next to their ledger entries. */
export class SignOffRepository {
  /** `signerOf`: the enrolment behind an sshsig sign-off (the signers domain owns that table). */
  constructor(
    private readonly db: Db,
    private readonly signerOf: (signerId: string) => SignOffSigner | null = () => null,
  ) {}

  private static readonly SELECT = `SELECT s.*, q.pinned_seq, q.pinned_head FROM signoffs s LEFT JOIN signoff_requests q ON q.id = s.request_id`;

  /** In signing order. */
  records(incidentId: string): SignOffRecord[] {
    return (this.db.prepare(`${SignOffRepository.SELECT} WHERE s.incident_id = ? ORDER BY s.num`).all(incidentId) as SignOffRow[]).map((r) => toRecord(r, this.signerOf));
  }

  /** The evidence items kept by sign-offs: signed reports, requests and signatures. */
  artefactItems(incidentId: string): Set<string> {
    const rows = this.db
      .prepare('SELECT report_evidence_id AS a, request_evidence_id AS b, signature_evidence_id AS c FROM signoffs WHERE incident_id = ?')
      .all(incidentId) as Array<{ a: string | null; b: string | null; c: string | null }>;
    return new Set(rows.flatMap((r) => [r.a, r.b, r.c]).filter((x): x is string => x !== null));
  }

  insert(n: NewSignOff): SignOffRecord {
    const num = (this.db.prepare('SELECT coalesce(max(num), 0) + 1 AS n FROM signoffs').get() as { n: number }).n;
    const id = `SO-${String(num).padStart(6, '0')}`;
    this.db
      .prepare(
        `INSERT INTO signoffs (num, id, incident_id, step_id, role, name, signed_at, statement, statement_sha256, signature,
           public_key, fingerprint, report_sha256, report_evidence_id, override_reason, ledger_seq, scheme, signer_id, request_id,
           request_evidence_id, signature_evidence_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        num,
        id,
        n.incidentId,
        n.stepId,
        n.role,
        n.name,
        n.signedAt,
        n.statementJson,
        n.statementSha256,
        n.signature,
        n.publicKeyPem,
        n.fingerprint,
        n.reportSha256,
        n.reportEvidenceId,
        n.overrideReason,
        n.ledgerSeq,
        n.sshsig ? 'sshsig' : 'ed25519-app-key',
        n.sshsig?.signerId ?? null,
        n.sshsig?.requestId ?? null,
        n.sshsig?.requestEvidenceId ?? null,
        n.sshsig?.signatureEvidenceId ?? null,
      );
    return toRecord(this.db.prepare(`${SignOffRepository.SELECT} WHERE s.id = ?`).get(id) as SignOffRow, this.signerOf);
  }

  /** Evidence behind each attestation, keyed `stepId/attestationId`, in acquisition order. */
  attestationEvidence(incidentId: string): Map<string, AttestationEvidence[]> {
    const rows = this.db
      .prepare(
        `SELECT a.step_id, a.attestation_id, i.id, i.name, i.sha256, i.status FROM attestation_evidence a
         JOIN evidence_items i ON i.id = a.item_id WHERE a.incident_id = ? ORDER BY i.num`,
      )
      .all(incidentId) as Array<AttestationEvidence & { step_id: string; attestation_id: string }>;
    const out = new Map<string, AttestationEvidence[]>();
    for (const { step_id, attestation_id, ...e } of rows) {
      const key = `${step_id}/${attestation_id}`;
      out.set(key, [...(out.get(key) ?? []), e]);
    }
    return out;
  }

  /** True when the link changed. */
  link(incidentId: string, stepId: string, attestationId: string, itemId: string, at: string): boolean {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO attestation_evidence (incident_id, step_id, attestation_id, item_id, linked_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(incidentId, stepId, attestationId, itemId, at).changes > 0
    );
  }

  unlink(incidentId: string, stepId: string, attestationId: string, itemId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM attestation_evidence WHERE incident_id = ? AND step_id = ? AND attestation_id = ? AND item_id = ?')
        .run(incidentId, stepId, attestationId, itemId).changes > 0
    );
  }
}
