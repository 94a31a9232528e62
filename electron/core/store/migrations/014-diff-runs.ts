import type { Migration } from '../migration';

/**
 * Row diffs and personal-data classifications become validation runs of an incident (issue 20): the table is rebuilt
 * because SQLite cannot widen a CHECK in place. Rows, ids and order are kept; nothing else refers to this table.
 */
export const migration014: Migration = {
  id: 14,
  name: 'diff-runs',
  sql: `
CREATE TABLE validation_runs_014 (
  num             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  incident_id     TEXT NOT NULL REFERENCES incidents(id),
  kind            TEXT NOT NULL CHECK (kind IN ('baseline', 'import', 'compare', 'check-database', 'check-backup', 'diff', 'classify')),
  status          TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  target          TEXT,
  engine          TEXT,
  baseline_run_id TEXT REFERENCES validation_runs_014(id),
  options         TEXT NOT NULL DEFAULT '{}',
  started_at      TEXT NOT NULL,
  started_by      TEXT NOT NULL,
  started_by_role TEXT NOT NULL,
  finished_at     TEXT,
  verdict         TEXT CHECK (verdict IN ('match', 'mismatch', 'ok', 'problem', 'captured')),
  summary         TEXT,
  result          TEXT,
  result_sha256   TEXT CHECK (result_sha256 IS NULL OR length(result_sha256) = 64),
  evidence_id     TEXT,
  error           TEXT,
  progress        TEXT
);
INSERT INTO validation_runs_014 SELECT * FROM validation_runs ORDER BY num;
DROP TABLE validation_runs;
ALTER TABLE validation_runs_014 RENAME TO validation_runs;
CREATE INDEX validation_runs_by_incident ON validation_runs (incident_id, num);
`,
};
