import type { Migration } from '../migration';

export const migration001: Migration = {
  id: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE incidents (
  id               TEXT PRIMARY KEY,
  title            TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  severity         TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  playbook_id      TEXT NOT NULL,
  playbook_version TEXT NOT NULL,
  playbook_title   TEXT NOT NULL,
  playbook_sha256  TEXT NOT NULL,
  playbook_content TEXT NOT NULL,
  params           TEXT NOT NULL,
  phase            TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  created_by_role  TEXT NOT NULL
);

CREATE TABLE ledger_entries (
  scope      TEXT NOT NULL,
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  initiator  TEXT NOT NULL CHECK (initiator IN ('human', 'automated')),
  action     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  PRIMARY KEY (scope, seq)
) WITHOUT ROWID;

-- The head of each chain, so that deleting the newest entries is detected too.
CREATE TABLE ledger_heads (
  scope TEXT PRIMARY KEY,
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL
);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
`,
};
