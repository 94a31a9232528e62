import type { Db } from '../store/database';

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

/** Writes signoffs and attestation_evidence, inside the caller's change; the case reads them (case/repository.ts). */
export class SignOffRepository {
  constructor(private readonly db: Db) {}

  /** Returns the new sign-off's id. */
  insert(n: NewSignOff): string {
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
    return id;
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
