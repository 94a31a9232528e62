import type { GapEvidence, GapState } from '../../shared/gap';
import { DEFAULT_TLP, type TlpMarking } from '../../shared/reports';
import type { SignerKeyType } from '../../shared/signers';
import { APP_HELD_KEY_LABEL, type AttestationEvidence, type SignOffRecord, type SignOffScheme, type SignOffStatement } from '../../shared/signoff';
import { storedRequestBody } from '../kernel/signoff-request-file';
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
  scheme: SignOffScheme;
  request_id: string | null;
  request_evidence_id: string | null;
  signature_evidence_id: string | null;
  pinned_seq: number | null;
  pinned_head: string | null;
  signer_id: string | null;
  signer_principal: string | null;
  signer_key_type: SignerKeyType | null;
  signer_public_key: string | null;
  signer_enrolled_at: string | null;
  signer_enrolled_by: string | null;
  signer_enrolled_by_role: string | null;
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

/** ed25519-app-key: the statement. sshsig: the request's bytes, with the request's body as the statement. */
const toRecord = (r: SignOffRow): SignOffRecord => {
  const statement = r.scheme === 'sshsig' ? storedRequestBody(r.statement) : (JSON.parse(r.statement) as SignOffStatement);
  const record: SignOffRecord = {
    id: r.id,
    incidentId: r.incident_id,
    stepId: r.step_id,
    stepTitle: 'step' in statement ? statement.step.title : statement.stepTitle,
    role: r.role,
    name: r.name,
    signedAt: r.signed_at,
    scheme: r.scheme,
    custody: r.scheme === 'sshsig' ? `the signer's own key, enrolled as ${r.signer_id ?? '(unknown)'}` : APP_HELD_KEY_LABEL,
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
  if (r.scheme !== 'sshsig' || !r.request_id || !r.signer_id) return record;
  return {
    ...record,
    signer: {
      enrolmentId: r.signer_id,
      principal: r.signer_principal ?? '',
      keyType: r.signer_key_type ?? 'ssh-ed25519',
      publicKey: r.signer_public_key ?? r.public_key,
      enrolledBy: { name: r.signer_enrolled_by ?? '', role: r.signer_enrolled_by_role ?? '' },
      enrolledAt: r.signer_enrolled_at ?? '',
    },
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

/** A sign-off with the request it signed and the enrolment of the key that signed it (SSH-signed ones). */
const SIGNOFFS = `SELECT s.*, q.pinned_seq, q.pinned_head, g.principal AS signer_principal, g.key_type AS signer_key_type,
  g.public_key AS signer_public_key, g.enrolled_at AS signer_enrolled_at, g.enrolled_by AS signer_enrolled_by, g.enrolled_by_role AS signer_enrolled_by_role
  FROM signoffs s LEFT JOIN signoff_requests q ON q.id = s.request_id LEFT JOIN signers g ON g.id = s.signer_id`;

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** In signing order. */
  signOffs(incidentId: string): SignOffRecord[] {
    return (this.db.prepare(`${SIGNOFFS} WHERE s.incident_id = ? ORDER BY s.num`).all(incidentId) as SignOffRow[]).map(toRecord);
  }

  signOff(id: string): SignOffRecord | undefined {
    const r = this.db.prepare(`${SIGNOFFS} WHERE s.id = ?`).get(id) as SignOffRow | undefined;
    return r && toRecord(r);
  }

  /** The evidence items sign-offs kept: signed reports, requests and signatures. */
  signOffArtefacts(incidentId: string): Set<string> {
    const rows = this.db
      .prepare('SELECT report_evidence_id AS a, request_evidence_id AS b, signature_evidence_id AS c FROM signoffs WHERE incident_id = ?')
      .all(incidentId) as Array<{ a: string | null; b: string | null; c: string | null }>;
    return new Set(rows.flatMap((r) => [r.a, r.b, r.c]).filter((x): x is string => x !== null));
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
