import type { Migration } from '../migration';

/**
 * Ledger checkpoints: the operator's own key signs, at each phase close or on demand, the (seq, head) of the incident's
 * chain and of the system chain, so a ledger rewritten whole with its heads no longer verifies. `body` holds the exact
 * bytes signed and time-stamped. A checkpoint made without a key (the operator has none) or without a time-stamp (no
 * TSA configured, or it did not answer) is kept with the reason. Each is recorded by its own ledger entry.
 */
export const migration009: Migration = {
  id: 9,
  name: 'checkpoints',
  sql: `
CREATE TABLE checkpoints (
  num              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  incident_id      TEXT NOT NULL REFERENCES incidents(id),
  reason           TEXT NOT NULL,
  made_at          TEXT NOT NULL,
  made_by          TEXT NOT NULL,
  made_by_role     TEXT NOT NULL,
  incident_seq     INTEGER NOT NULL,
  incident_head    TEXT,
  system_seq       INTEGER NOT NULL,
  system_head      TEXT,
  body             TEXT NOT NULL,
  body_sha256      TEXT NOT NULL CHECK (length(body_sha256) = 64),
  -- The armored SSHSIG signature and the OpenSSH public key line of the key that made it; null when unsigned.
  signature        TEXT,
  public_key       TEXT,
  fingerprint      TEXT,
  unsigned_reason  TEXT,
  tsa_url          TEXT,
  -- The DER TimeStampToken as the TSA sent it; null when not time-stamped (tsa_problem says why, if a TSA was set).
  tsa_token        BLOB,
  tsa_gen_time     TEXT,
  tsa_problem      TEXT,
  ledger_seq       INTEGER NOT NULL,
  CHECK ((signature IS NULL) = (unsigned_reason IS NOT NULL)),
  CHECK ((signature IS NULL) = (public_key IS NULL)),
  FOREIGN KEY (incident_id, ledger_seq) REFERENCES ledger_entries (scope, seq)
);
CREATE INDEX checkpoints_incident ON checkpoints (incident_id, num);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'a checkpoint is never changed'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'a checkpoint is never removed'); END;
`,
};
