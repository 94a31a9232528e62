import type { Migration } from '../migration';

/**
 * Database validation runs of an incident: baselines captured or imported, compares, backup and integrity checks.
 * `result` holds the exact bytes saved as evidence (result_sha256 is their hash), so a compare can use a baseline
 * without reparsing evidence files and the history survives restarts. No password is ever stored: `target` is the
 * URL without it.
 */
export const migration003: Migration = {
  id: 3,
  name: 'validation',
  sql: `
CREATE TABLE validation_runs (
  num             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  incident_id     TEXT NOT NULL REFERENCES incidents(id),
  kind            TEXT NOT NULL CHECK (kind IN ('baseline', 'import', 'compare', 'check-database', 'check-backup')),
  status          TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  target          TEXT,
  engine          TEXT,
  baseline_run_id TEXT REFERENCES validation_runs(id),
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

CREATE INDEX validation_runs_by_incident ON validation_runs (incident_id, num);
`,
};
