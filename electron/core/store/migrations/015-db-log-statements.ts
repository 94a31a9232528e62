import type { Migration } from '../migration';

/**
 * Statements read from a database's own log (MariaDB binlog text, PostgreSQL csvlog/stderr), on the incident's time
 * axis. Row values are never stored: binlog row events become a count per statement and table.
 */
export const migration015: Migration = {
  id: 15,
  name: 'db-log-statements',
  sql: `CREATE TABLE db_log_statements (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    evidence_id TEXT NOT NULL,
    line        INTEGER NOT NULL,
    at          TEXT NOT NULL,
    source      TEXT NOT NULL,
    login       TEXT,
    database    TEXT,
    session     TEXT,
    operation   TEXT NOT NULL,
    destructive INTEGER NOT NULL,
    table_name  TEXT,
    rows        INTEGER,
    statement   TEXT NOT NULL,
    PRIMARY KEY (incident_id, evidence_id, line, operation, table_name)
  );
  CREATE INDEX db_log_statements_at ON db_log_statements (incident_id, at);`,
};
