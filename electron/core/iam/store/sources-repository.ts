import type { IamSource, IamSourceKind } from '../../../shared/iam';
import type { Db } from '../../store/database';

interface SourceRow {
  seq: number;
  evidence_id: string;
  name: string;
  sha256: string;
  kind: IamSourceKind;
  origin: IamSource['origin'];
  binding: string | null;
  summary: string;
  recorded_at: string;
}

export interface StoredSource extends IamSource {
  seq: number;
  binding: string | null;
}

export class IamSourcesRepository {
  constructor(private readonly db: Db) {}

  /** In the order recorded: later pieces complete earlier ones. */
  list(incidentId: string): StoredSource[] {
    const rows = this.db
      .prepare(
        `SELECT s.seq, s.evidence_id, e.name, e.sha256, s.kind, s.origin, s.binding, s.summary, s.recorded_at
           FROM iam_sources s JOIN evidence_items e ON e.id = s.evidence_id
          WHERE s.incident_id = ? ORDER BY s.seq`,
      )
      .all(incidentId) as SourceRow[];
    return rows.map((r) => ({
      seq: r.seq,
      evidenceId: r.evidence_id,
      name: r.name,
      sha256: r.sha256,
      kind: r.kind,
      origin: r.origin,
      binding: r.binding,
      summary: r.summary,
      recordedAt: r.recorded_at,
    }));
  }

  add(incidentId: string, s: { evidenceId: string; kind: IamSourceKind; origin: IamSource['origin']; binding: string | null; summary: string; recordedAt: string }): number {
    const next = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM iam_sources WHERE incident_id = ?').get(incidentId) as { n: number }).n;
    this.db
      .prepare('INSERT INTO iam_sources (incident_id, seq, evidence_id, kind, origin, binding, summary, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(incidentId, next, s.evidenceId, s.kind, s.origin, s.binding, s.summary, s.recordedAt);
    return next;
  }
}
