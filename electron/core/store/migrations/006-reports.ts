import type { Migration } from '../migration';

/**
 * Gap analysis, sign-off and report markings. Signatures are append-only: a signed statement is never edited, and
 * each one points at the ledger entry that records it.
 */
export const migration006: Migration = {
  id: 6,
  name: 'reports',
  sql: `
CREATE TABLE gap_assessments (
  incident_id  TEXT NOT NULL REFERENCES incidents(id),
  control_id   TEXT NOT NULL,
  state        TEXT CHECK (state IS NULL OR state IN ('implemented', 'partially-implemented', 'not-implemented', 'not-applicable')),
  gap          TEXT,
  owner        TEXT,
  due_date     TEXT,
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  updated_role TEXT NOT NULL,
  PRIMARY KEY (incident_id, control_id)
) WITHOUT ROWID;

CREATE TABLE gap_evidence (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  control_id  TEXT NOT NULL,
  item_id     TEXT NOT NULL REFERENCES evidence_items(id),
  linked_at   TEXT NOT NULL,
  PRIMARY KEY (incident_id, control_id, item_id)
) WITHOUT ROWID;

CREATE TABLE attestation_evidence (
  incident_id    TEXT NOT NULL REFERENCES incidents(id),
  step_id        TEXT NOT NULL,
  attestation_id TEXT NOT NULL,
  item_id        TEXT NOT NULL REFERENCES evidence_items(id),
  linked_at      TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id, attestation_id, item_id)
) WITHOUT ROWID;

CREATE TABLE signoffs (
  num                INTEGER PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  incident_id        TEXT NOT NULL REFERENCES incidents(id),
  step_id            TEXT NOT NULL,
  role               TEXT NOT NULL,
  name               TEXT NOT NULL,
  signed_at          TEXT NOT NULL,
  -- The signed bytes: canonical JSON of the statement.
  statement          TEXT NOT NULL,
  statement_sha256   TEXT NOT NULL CHECK (length(statement_sha256) = 64),
  signature          TEXT NOT NULL,
  public_key         TEXT NOT NULL,
  fingerprint        TEXT NOT NULL CHECK (length(fingerprint) = 64),
  report_sha256      TEXT NOT NULL CHECK (length(report_sha256) = 64),
  report_evidence_id TEXT REFERENCES evidence_items(id),
  override_reason    TEXT,
  ledger_seq         INTEGER NOT NULL,
  UNIQUE (incident_id, step_id, role),
  FOREIGN KEY (incident_id, ledger_seq) REFERENCES ledger_entries (scope, seq)
);
CREATE INDEX signoffs_incident ON signoffs (incident_id, step_id);
CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a signature is never changed'); END;
CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a signature is never removed'); END;

CREATE TABLE report_markings (
  incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
  tlp         TEXT NOT NULL CHECK (tlp IN ('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED')),
  set_at      TEXT NOT NULL,
  set_by      TEXT NOT NULL
) WITHOUT ROWID;
`,
};
