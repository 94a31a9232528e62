import type { Migration } from '../migration';

/**
 * Agent traces imported into an incident (`firebreak trace import`): each import with the evidence items its files
 * became, the runs read from them and every tool call with its verdict and the cloud events tied to it. Arguments are
 * kept with secrets redacted; the trace files themselves are evidence in the locker. Numbered 018 as assigned.
 */
export const migration018: Migration = {
  id: 18,
  name: 'agent-traces',
  sql: `CREATE TABLE trace_imports (
    num          INTEGER NOT NULL UNIQUE,
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    evidence_ids TEXT NOT NULL,
    runs         INTEGER NOT NULL,
    tool_calls   INTEGER NOT NULL,
    destructive  INTEGER NOT NULL,
    findings     TEXT NOT NULL,
    last_words   TEXT,
    imported_at  TEXT NOT NULL
  );
  CREATE INDEX trace_imports_incident ON trace_imports(incident_id);
  CREATE TABLE trace_runs (
    import_id   TEXT NOT NULL REFERENCES trace_imports(id),
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    trace_id    TEXT NOT NULL,
    agent       TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('otlp', 'langsmith')),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    steps       INTEGER NOT NULL,
    tree        TEXT NOT NULL,
    PRIMARY KEY (import_id, trace_id)
  );
  CREATE TABLE trace_tool_calls (
    import_id           TEXT NOT NULL REFERENCES trace_imports(id),
    incident_id         TEXT NOT NULL REFERENCES incidents(id),
    trace_id            TEXT NOT NULL,
    step_id             TEXT NOT NULL,
    name                TEXT NOT NULL,
    started_at          TEXT NOT NULL,
    ended_at            TEXT,
    destructive         INTEGER NOT NULL CHECK (destructive IN (0, 1)),
    destructive_because TEXT,
    arguments           TEXT,
    error               TEXT,
    correlated          TEXT NOT NULL,
    PRIMARY KEY (import_id, trace_id, step_id)
  );
  CREATE INDEX trace_tool_calls_incident ON trace_tool_calls(incident_id, started_at);`,
};
