import type { Db } from '../../store/database';

export interface AnalysisRun {
  incidentId: string;
  generation: number;
  state: 'analysing' | 'done';
  startedAt: string;
  finishedAt: string | null;
  /** host:pid of the process running it. */
  owner: string;
  /** What the analysis was started for (a collection id, "agent identities changed"). */
  subject: string;
}

interface Row {
  incident_id: string;
  generation: number;
  state: 'analysing' | 'done';
  started_at: string;
  finished_at: string | null;
  owner: string;
  subject: string;
}

const fromRow = (r: Row): AnalysisRun => ({
  incidentId: r.incident_id,
  generation: r.generation,
  state: r.state,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  owner: r.owner,
  subject: r.subject,
});

/** cloudtrail_analysis_runs: whether an incident's analysis is running (its batches half committed) or done. */
export class AnalysisRunsRepository {
  constructor(private readonly db: Db) {}

  get(incidentId: string): AnalysisRun | null {
    const r = this.db.prepare('SELECT * FROM cloudtrail_analysis_runs WHERE incident_id = ?').get(incidentId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Marks the analysis begun; returns its generation (one more than the last). */
  begin(incidentId: string, at: string, owner: string, subject: string): number {
    const r = this.db
      .prepare(
        `INSERT INTO cloudtrail_analysis_runs (incident_id, generation, state, started_at, finished_at, owner, subject) VALUES (?, 1, 'analysing', ?, NULL, ?, ?)
         ON CONFLICT(incident_id) DO UPDATE SET generation = generation + 1, state = 'analysing', started_at = excluded.started_at, finished_at = NULL, owner = excluded.owner, subject = excluded.subject
         RETURNING generation`,
      )
      .get(incidentId, at, owner, subject) as { generation: number };
    return r.generation;
  }

  finish(incidentId: string, generation: number, at: string): void {
    this.db.prepare("UPDATE cloudtrail_analysis_runs SET state = 'done', finished_at = ? WHERE incident_id = ? AND generation = ?").run(at, incidentId, generation);
  }

  /** Analyses still marked running. */
  running(): AnalysisRun[] {
    return (this.db.prepare("SELECT * FROM cloudtrail_analysis_runs WHERE state = 'analysing' ORDER BY incident_id").all() as Row[]).map(fromRow);
  }
}
