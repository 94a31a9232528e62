import { DEFAULT_TLP, type TlpMarking } from '../../shared/reports';
import type { Db } from '../store/database';

/** report_markings: the TLP marking of an incident's reports, set through reports.setMarking. */
export class MarkingsRepository {
  constructor(private readonly db: Db) {}

  marking(incidentId: string): TlpMarking {
    const row = this.db.prepare('SELECT tlp FROM report_markings WHERE incident_id = ?').get(incidentId) as { tlp: TlpMarking } | undefined;
    return row?.tlp ?? DEFAULT_TLP;
  }

  setMarking(incidentId: string, tlp: TlpMarking, at: string, by: string): void {
    this.db
      .prepare(
        `INSERT INTO report_markings (incident_id, tlp, set_at, set_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET tlp = excluded.tlp, set_at = excluded.set_at, set_by = excluded.set_by`,
      )
      .run(incidentId, tlp, at, by);
  }
}
