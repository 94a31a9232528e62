import type { Migration } from '../migration';

/**
 * Sign-offs made only by their signers. `signers` holds the enrolled public keys (the private halves stay with each
 * signer); `signoff_requests` the exact bytes a signer is asked to sign, with the incident report they pin. `signoffs`
 * is rebuilt to hold SSH signatures beside the Ed25519 ones the app used to make with keys it held: its fingerprint
 * column was fixed at 64 hex characters, and SQLite cannot drop a CHECK. Every existing row is copied unchanged and
 * marked `ed25519-app-key`; the no-update and no-delete triggers are recreated.
 */
export const migration008: Migration = {
  id: 8,
  name: 'signers',
  sql: `
CREATE TABLE signers (
  num              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  role             TEXT NOT NULL,
  principal        TEXT NOT NULL,
  key_type         TEXT NOT NULL CHECK (key_type IN ('ssh-ed25519', 'sk-ssh-ed25519@openssh.com')),
  -- The OpenSSH public key line as enrolled: type, base64 and comment.
  public_key       TEXT NOT NULL,
  fingerprint      TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
  enrolled_at      TEXT NOT NULL,
  enrolled_by      TEXT NOT NULL,
  enrolled_by_role TEXT NOT NULL,
  -- Where the key came from: "signers add FILE", or FILE:LINE of an imported allowed_signers file.
  source           TEXT,
  -- A fictional signer of the sample incident: never valid for a real one.
  sample           INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
  ledger_scope     TEXT NOT NULL DEFAULT 'system' CHECK (ledger_scope = 'system'),
  ledger_seq       INTEGER NOT NULL,
  revoked_at       TEXT,
  revoked_by       TEXT,
  revoked_by_role  TEXT,
  revoke_reason    TEXT,
  revoke_seq       INTEGER,
  CHECK ((revoked_at IS NULL) = (revoke_seq IS NULL)),
  FOREIGN KEY (ledger_scope, ledger_seq) REFERENCES ledger_entries (scope, seq),
  FOREIGN KEY (ledger_scope, revoke_seq) REFERENCES ledger_entries (scope, seq)
);
CREATE INDEX signers_fingerprint ON signers (fingerprint);
CREATE TRIGGER signers_no_delete BEFORE DELETE ON signers
BEGIN SELECT RAISE(ABORT, 'an enrolment is never removed; revoke it'); END;
CREATE TRIGGER signers_revoke_only BEFORE UPDATE ON signers
WHEN OLD.revoked_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.principal IS NOT OLD.principal
  OR NEW.key_type IS NOT OLD.key_type OR NEW.public_key IS NOT OLD.public_key OR NEW.fingerprint IS NOT OLD.fingerprint
  OR NEW.enrolled_at IS NOT OLD.enrolled_at OR NEW.enrolled_by IS NOT OLD.enrolled_by OR NEW.ledger_seq IS NOT OLD.ledger_seq
  OR NEW.sample IS NOT OLD.sample
BEGIN SELECT RAISE(ABORT, 'an enrolment is never changed, only revoked once'); END;

CREATE TABLE signoff_requests (
  num               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  incident_id       TEXT NOT NULL REFERENCES incidents(id),
  step_id           TEXT NOT NULL,
  role              TEXT NOT NULL,
  -- The exact bytes the signer signs (UTF-8 text), and their SHA-256.
  request           TEXT NOT NULL,
  request_sha256    TEXT NOT NULL UNIQUE CHECK (length(request_sha256) = 64),
  -- The incident report as it stood when the request was made: the request names its hash.
  report            TEXT NOT NULL,
  report_sha256     TEXT NOT NULL CHECK (length(report_sha256) = 64),
  pinned_seq        INTEGER NOT NULL,
  pinned_head       TEXT,
  override_reason   TEXT,
  requested_at      TEXT NOT NULL,
  requested_by      TEXT NOT NULL,
  requested_by_role TEXT NOT NULL,
  ledger_seq        INTEGER NOT NULL,
  FOREIGN KEY (incident_id, ledger_seq) REFERENCES ledger_entries (scope, seq)
);
CREATE INDEX signoff_requests_incident ON signoff_requests (incident_id, step_id, role);
CREATE TRIGGER signoff_requests_no_update BEFORE UPDATE ON signoff_requests
BEGIN SELECT RAISE(ABORT, 'a sign-off request is never changed'); END;
CREATE TRIGGER signoff_requests_no_delete BEFORE DELETE ON signoff_requests
BEGIN SELECT RAISE(ABORT, 'a sign-off request is never removed'); END;

CREATE TABLE signoffs_new (
  num                   INTEGER PRIMARY KEY,
  id                    TEXT NOT NULL UNIQUE,
  incident_id           TEXT NOT NULL REFERENCES incidents(id),
  step_id               TEXT NOT NULL,
  role                  TEXT NOT NULL,
  name                  TEXT NOT NULL,
  signed_at             TEXT NOT NULL,
  -- ed25519-app-key: the canonical JSON statement. sshsig: the request's bytes.
  statement             TEXT NOT NULL,
  statement_sha256      TEXT NOT NULL CHECK (length(statement_sha256) = 64),
  -- ed25519-app-key: base64 of 64 bytes. sshsig: the armored SSH signature.
  signature             TEXT NOT NULL,
  -- ed25519-app-key: SPKI PEM. sshsig: the OpenSSH public key line.
  public_key            TEXT NOT NULL,
  fingerprint           TEXT NOT NULL,
  report_sha256         TEXT NOT NULL CHECK (length(report_sha256) = 64),
  report_evidence_id    TEXT REFERENCES evidence_items(id),
  override_reason       TEXT,
  ledger_seq            INTEGER NOT NULL,
  scheme                TEXT NOT NULL CHECK (scheme IN ('ed25519-app-key', 'sshsig')),
  signer_id             TEXT REFERENCES signers(id),
  request_id            TEXT UNIQUE REFERENCES signoff_requests(id),
  request_evidence_id   TEXT REFERENCES evidence_items(id),
  signature_evidence_id TEXT REFERENCES evidence_items(id),
  CHECK (scheme = 'sshsig' OR length(fingerprint) = 64),
  CHECK (scheme = 'ed25519-app-key' OR (fingerprint LIKE 'SHA256:%' AND signer_id IS NOT NULL AND request_id IS NOT NULL)),
  UNIQUE (incident_id, step_id, role),
  FOREIGN KEY (incident_id, ledger_seq) REFERENCES ledger_entries (scope, seq)
);
INSERT INTO signoffs_new (num, id, incident_id, step_id, role, name, signed_at, statement, statement_sha256, signature,
  public_key, fingerprint, report_sha256, report_evidence_id, override_reason, ledger_seq, scheme)
SELECT num, id, incident_id, step_id, role, name, signed_at, statement, statement_sha256, signature,
  public_key, fingerprint, report_sha256, report_evidence_id, override_reason, ledger_seq, 'ed25519-app-key' FROM signoffs;
DROP TABLE signoffs;
ALTER TABLE signoffs_new RENAME TO signoffs;
CREATE INDEX signoffs_incident ON signoffs (incident_id, step_id);
CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a signature is never changed'); END;
CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs
BEGIN SELECT RAISE(ABORT, 'a signature is never removed'); END;
`,
};
