import type { TlpMarking } from '../../shared/reports';
import type { Db } from '../store/database';

/** Writes report_markings (the TLP marking of an incident's reports) inside the caller's change; the case reads it. */
export class MarkingsRepository {
  constructor(private readonly db: Db) {}

  setMarking(incidentId: string, tlp: TlpMarking, at: string, by: string): void {
    this.db
      .prepare(
        `INSERT INTO report_markings (incident_id, tlp, set_at, set_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET tlp = excluded.tlp, set_at = excluded.set_at, set_by = excluded.set_by`,
      )
      .run(incidentId, tlp, at, by);
  }
}
