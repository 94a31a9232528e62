import type { Migration } from '../migration';

/**
 * The evidence locker. Content lives in <dataDir>/evidence/objects/<sha256>, once per distinct content; these tables
 * hold what the record needs about it. Custody rows point at the ledger entries that are the custody events.
 */
export const migration002: Migration = {
  id: 2,
  name: 'evidence',
  sql: `
CREATE TABLE evidence_blobs (
  sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size      INTEGER NOT NULL CHECK (size >= 0),
  sha1      TEXT,
  md5       TEXT,
  findings  TEXT NOT NULL DEFAULT '[]',
  stored_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE evidence_items (
  num                 INTEGER PRIMARY KEY,
  id                  TEXT NOT NULL UNIQUE,
  incident_id         TEXT NOT NULL REFERENCES incidents(id),
  sha256              TEXT NOT NULL REFERENCES evidence_blobs(sha256),
  name                TEXT NOT NULL,
  name_bytes          BLOB,
  original_path       TEXT,
  original_path_bytes BLOB,
  modified_at         TEXT,
  source_kind         TEXT NOT NULL CHECK (source_kind IN
                        ('file', 'cloudtrail-api', 'cloudtrail-export', 'database-baseline', 'validation-result', 'report')),
  description         TEXT,
  acquired_at         TEXT NOT NULL,
  acquired_by         TEXT NOT NULL,
  acquired_by_role    TEXT NOT NULL,
  initiator           TEXT NOT NULL CHECK (initiator IN ('human', 'automated')),
  status              TEXT NOT NULL CHECK (status IN ('intact', 'modified', 'missing')),
  verified_at         TEXT,
  acquisitions        INTEGER NOT NULL DEFAULT 1,
  UNIQUE (incident_id, sha256)
);
CREATE INDEX evidence_items_sha256 ON evidence_items (sha256);

CREATE TABLE evidence_step_links (
  item_id TEXT NOT NULL REFERENCES evidence_items(id),
  step_id TEXT NOT NULL,
  PRIMARY KEY (item_id, step_id)
) WITHOUT ROWID;

CREATE TABLE evidence_custody (
  item_id TEXT NOT NULL REFERENCES evidence_items(id),
  scope   TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('acquisition', 'verification', 'link', 'export', 'note')),
  PRIMARY KEY (item_id, seq),
  FOREIGN KEY (scope, seq) REFERENCES ledger_entries (scope, seq)
) WITHOUT ROWID;
CREATE INDEX evidence_custody_scope ON evidence_custody (scope, seq);

-- What was acquired, and when and by whom, never changes; only the result of the latest check does.
CREATE TRIGGER evidence_items_no_delete BEFORE DELETE ON evidence_items
BEGIN SELECT RAISE(ABORT, 'evidence items are never deleted'); END;
CREATE TRIGGER evidence_items_fixed BEFORE UPDATE OF id, incident_id, sha256, name, name_bytes, original_path,
  original_path_bytes, modified_at, source_kind, acquired_at, acquired_by, acquired_by_role, initiator ON evidence_items
BEGIN SELECT RAISE(ABORT, 'the acquisition record of an evidence item is fixed'); END;
CREATE TRIGGER evidence_blobs_no_delete BEFORE DELETE ON evidence_blobs
BEGIN SELECT RAISE(ABORT, 'stored evidence content is never deleted'); END;
CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
CREATE TRIGGER evidence_custody_no_delete BEFORE DELETE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
`,
};
