import type { Operator } from '../../shared/domain';
import type { Db } from '../store/database';

interface RequestRow {
  id: string;
  incident_id: string;
  step_id: string;
  role: string;
  request: string;
  request_sha256: string;
  report: string;
  report_sha256: string;
  pinned_seq: number;
  pinned_head: string | null;
  override_reason: string | null;
  requested_at: string;
  requested_by: string;
  requested_by_role: string;
  ledger_seq: number;
}

/** A sign-off request as made: its bytes, and the incident report it pins. */
export interface StoredRequest {
  id: string;
  incidentId: string;
  stepId: string;
  role: string;
  text: string;
  sha256: string;
  reportJson: string;
  reportSha256: string;
  pinnedSeq: number;
  pinnedHead: string | null;
  override: string | null;
  requestedAt: string;
  requestedBy: Operator;
  ledgerSeq: number;
}

const toRequest = (r: RequestRow): StoredRequest => ({
  id: r.id,
  incidentId: r.incident_id,
  stepId: r.step_id,
  role: r.role,
  text: r.request,
  sha256: r.request_sha256,
  reportJson: r.report,
  reportSha256: r.report_sha256,
  pinnedSeq: r.pinned_seq,
  pinnedHead: r.pinned_head,
  override: r.override_reason,
  requestedAt: r.requested_at,
  requestedBy: { name: r.requested_by, role: r.requested_by_role },
  ledgerSeq: r.ledger_seq,
});

/** signoff_requests: every request made, with its bytes and the report it pins; written inside the request's change. */
export class SignOffRequestRepository {
  constructor(private readonly db: Db) {}

  nextId(): string {
    const n = (this.db.prepare('SELECT coalesce(max(num), 0) + 1 AS n FROM signoff_requests').get() as { n: number }).n;
    return `SR-${String(n).padStart(6, '0')}`;
  }

  insert(r: StoredRequest): StoredRequest {
    this.db
      .prepare(
        `INSERT INTO signoff_requests (num, id, incident_id, step_id, role, request, request_sha256, report, report_sha256, pinned_seq,
           pinned_head, override_reason, requested_at, requested_by, requested_by_role, ledger_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        Number(r.id.slice(3)),
        r.id,
        r.incidentId,
        r.stepId,
        r.role,
        r.text,
        r.sha256,
        r.reportJson,
        r.reportSha256,
        r.pinnedSeq,
        r.pinnedHead,
        r.override,
        r.requestedAt,
        r.requestedBy.name,
        r.requestedBy.role,
        r.ledgerSeq,
      );
    return this.get(r.id) as StoredRequest;
  }

  get(id: string): StoredRequest | null {
    const r = this.db.prepare('SELECT * FROM signoff_requests WHERE id = ?').get(id) as RequestRow | undefined;
    return r ? toRequest(r) : null;
  }

  bySha256(sha256: string): StoredRequest | null {
    const r = this.db.prepare('SELECT * FROM signoff_requests WHERE request_sha256 = ?').get(sha256) as RequestRow | undefined;
    return r ? toRequest(r) : null;
  }

  /** Newest first. */
  ofIncident(incidentId: string): StoredRequest[] {
    return (this.db.prepare('SELECT * FROM signoff_requests WHERE incident_id = ? ORDER BY num DESC').all(incidentId) as RequestRow[]).map(toRequest);
  }
}
