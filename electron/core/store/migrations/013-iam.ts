import type { Migration } from '../migration';

/**
 * The IAM snapshot of an incident: which evidence items hold it (authorization details, get-role outputs, policy
 * versions, the credential report), in the order they were imported or fetched. The content stays in the evidence
 * locker and is read back from there, so what is analysed is exactly what is kept. `binding` names the identity or
 * policy a piece belongs to when the piece itself does not (list-attached-role-policies, get-policy-version).
 * A revocation keeps the exact calls it made (its plan), so its undo reverses exactly those.
 */
export const migration013: Migration = {
  id: 13,
  name: 'iam-snapshot',
  sql: `CREATE TABLE iam_sources (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    seq         INTEGER NOT NULL,
    evidence_id TEXT NOT NULL REFERENCES evidence_items(id),
    kind        TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('import', 'capture')),
    binding     TEXT,
    summary     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
  );
  CREATE TABLE iam_revocations (
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    seq          INTEGER NOT NULL,
    identity     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('role', 'user')),
    plan         TEXT NOT NULL,
    revoked_at   TEXT NOT NULL,
    revoked_by   TEXT NOT NULL,
    override     TEXT,
    undone_at    TEXT,
    undone_by    TEXT,
    PRIMARY KEY (incident_id, seq)
  );`,
};
