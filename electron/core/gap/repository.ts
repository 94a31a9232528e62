import type { Operator } from '../../shared/domain';
import type { GapState } from '../../shared/gap';
import type { Db } from '../store/database';

export interface AssessmentFields {
  state: GapState | null;
  gap: string | null;
  owner: string | null;
  dueDate: string | null;
}

/** Writes gap_assessments and gap_evidence, inside the caller's change; the case reads them (case/repository.ts). */
export class GapRepository {
  constructor(private readonly db: Db) {}

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
