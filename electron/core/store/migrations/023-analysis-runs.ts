import type { Migration } from '../migration';

/**
 * The state of each incident's CloudTrail analysis. A long analysis commits in batches so that other writers get the
 * lock between them; while it runs, the incident's attribution and burst marks are part old, part new, so the row
 * says 'analysing' (with the process that runs it) and readers say so rather than present them as final. A row left
 * 'analysing' by a process that no longer exists is resumed at the next start. Numbered 023 as assigned.
 */
export const migration023: Migration = {
  id: 23,
  name: 'analysis-runs',
  sql: `CREATE TABLE cloudtrail_analysis_runs (
    incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
    generation  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('analysing', 'done')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    owner       TEXT NOT NULL,
    subject     TEXT NOT NULL
  );`,
};
