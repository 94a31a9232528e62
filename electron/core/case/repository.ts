import type { GapEvidence, GapState } from '../../shared/gap';
import { DEFAULT_TLP, type TlpMarking } from '../../shared/reports';
import type { AttestationEvidence, SignOffRecord, SignOffStatement } from '../../shared/signoff';
import type { Db } from '../store/database';

/**
 * What the read side reads of the tables the post-incident actions write (gap assessments, sign-offs, report
 * markings), joined to the evidence they cite. The actions above the case (gap, signoff, reports) write these tables
 * through their own repositories; everything that reads them reads them here.
 */

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
}

export interface AssessmentRow {
  control_id: string;
  state: GapState | null;
  gap: string | null;
  owner: string | null;
  due_date: string | null;
  updated_at: string;
  updated_by: string;
  updated_role: string;
}

const toRecord = (r: SignOffRow): SignOffRecord => {
  const statement = JSON.parse(r.statement) as SignOffStatement;
  return {
    id: r.id,
    incidentId: r.incident_id,
    stepId: r.step_id,
    stepTitle: statement.stepTitle,
    role: r.role,
    name: r.name,
    signedAt: r.signed_at,
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
};

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** In signing order. */
  signOffs(incidentId: string): SignOffRecord[] {
    return (this.db.prepare('SELECT * FROM signoffs WHERE incident_id = ? ORDER BY num').all(incidentId) as SignOffRow[]).map(toRecord);
  }

  signOff(id: string): SignOffRecord | undefined {
    const r = this.db.prepare('SELECT * FROM signoffs WHERE id = ?').get(id) as SignOffRow | undefined;
    return r && toRecord(r);
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

  gapAssessments(incidentId: string): Map<string, AssessmentRow> {
    const rows = this.db.prepare('SELECT * FROM gap_assessments WHERE incident_id = ?').all(incidentId) as AssessmentRow[];
    return new Map(rows.map((r) => [r.control_id, r]));
  }

  /** Evidence linked to each control, in acquisition order. */
  gapEvidence(incidentId: string): Map<string, GapEvidence[]> {
    const rows = this.db
      .prepare(
        `SELECT g.control_id, i.id, i.name, i.sha256, i.status FROM gap_evidence g JOIN evidence_items i ON i.id = g.item_id
         WHERE g.incident_id = ? ORDER BY i.num`,
      )
      .all(incidentId) as Array<GapEvidence & { control_id: string }>;
    const out = new Map<string, GapEvidence[]>();
    for (const { control_id, ...e } of rows) out.set(control_id, [...(out.get(control_id) ?? []), e]);
    return out;
  }

  /** The TLP marking of the incident's reports. */
  marking(incidentId: string): TlpMarking {
    const row = this.db.prepare('SELECT tlp FROM report_markings WHERE incident_id = ?').get(incidentId) as { tlp: TlpMarking } | undefined;
    return row?.tlp ?? DEFAULT_TLP;
  }
}
