import type { Migration } from '../migration';

/** The guided workflow: what was done per step and phase, decisions, escalations, regulatory clocks, monitoring. */
export const migration005: Migration = {
  id: 5,
  name: 'workflow',
  sql: `
CREATE TABLE step_states (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  step_id     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('todo', 'done', 'na')),
  reason      TEXT,
  note        TEXT,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  updated_role TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id)
) WITHOUT ROWID;

CREATE TABLE phase_states (
  incident_id     TEXT NOT NULL REFERENCES incidents(id),
  phase_id        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closed_at       TEXT,
  closed_by       TEXT,
  closed_role     TEXT,
  override_reason TEXT,
  -- What the gate was missing when it was overridden, as JSON, so reports can show exactly what was waived.
  override_missing TEXT,
  PRIMARY KEY (incident_id, phase_id)
) WITHOUT ROWID;

CREATE TABLE decisions (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  step_id     TEXT NOT NULL,
  answers     TEXT NOT NULL,
  decided_at  TEXT NOT NULL,
  decided_by  TEXT NOT NULL,
  decided_role TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id)
) WITHOUT ROWID;

CREATE TABLE escalations (
  incident_id   TEXT NOT NULL REFERENCES incidents(id),
  escalation_id TEXT NOT NULL,
  step_id       TEXT NOT NULL,
  answer_id     TEXT NOT NULL,
  raised_at     TEXT NOT NULL,
  raised_by     TEXT NOT NULL,
  PRIMARY KEY (incident_id, escalation_id)
) WITHOUT ROWID;

-- Times the law counts from: when the organisation became aware, when materiality was determined.
CREATE TABLE incident_times (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('awareness', 'materiality')),
  at          TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (incident_id, kind)
) WITHOUT ROWID;

CREATE TABLE notifications (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  regime      TEXT NOT NULL,
  notified_at TEXT NOT NULL,
  note        TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (incident_id, regime)
) WITHOUT ROWID;

CREATE TABLE monitoring_checks (
  num         INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  at          TEXT NOT NULL,
  result      TEXT NOT NULL CHECK (result IN ('clear', 'alert')),
  note        TEXT NOT NULL,
  by_name     TEXT NOT NULL,
  by_role     TEXT NOT NULL,
  initiator   TEXT NOT NULL CHECK (initiator IN ('human', 'automated'))
);
CREATE INDEX monitoring_checks_incident ON monitoring_checks (incident_id, at);
`,
};
