import type { Operator } from '../../shared/domain';
import type { GapEvidence, GapState } from '../../shared/gap';
import type { Db } from '../store/database';

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

export interface AssessmentFields {
  state: GapState | null;
  gap: string | null;
  owner: string | null;
  dueDate: string | null;
}

/** gap_assessments and gap_evidence. Writes happen inside the caller's transaction, next to their ledger entries. */
export class GapRepository {
  constructor(private readonly db: Db) {}

  assessments(incidentId: string): Map<string, AssessmentRow> {
    const rows = this.db.prepare('SELECT * FROM gap_assessments WHERE incident_id = ?').all(incidentId) as AssessmentRow[];
    return new Map(rows.map((r) => [r.control_id, r]));
  }

  upsert(incidentId: string, controlId: string, f: AssessmentFields, by: Operator, at: string): void {
    this.db
      .prepare(
        `INSERT INTO gap_assessments (incident_id, control_id, state, gap, owner, due_date, updated_at, updated_by, updated_role)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, control_id) DO UPDATE SET state = excluded.state, gap = excluded.gap, owner = excluded.owner,
           due_date = excluded.due_date, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
           updated_role = excluded.updated_role`,
      )
      .run(incidentId, controlId, f.state, f.gap, f.owner, f.dueDate, at, by.name, by.role);
  }

  /** Evidence linked to each control, in acquisition order. */
  evidence(incidentId: string): Map<string, GapEvidence[]> {
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

  /** True when the link changed. */
  link(incidentId: string, controlId: string, itemId: string, at: string): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO gap_evidence (incident_id, control_id, item_id, linked_at) VALUES (?, ?, ?, ?)')
        .run(incidentId, controlId, itemId, at).changes > 0
    );
  }

  unlink(incidentId: string, controlId: string, itemId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM gap_evidence WHERE incident_id = ? AND control_id = ? AND item_id = ?')
        .run(incidentId, controlId, itemId).changes > 0
    );
  }
}
