import type { Migration } from '../migration';

/**
 * CloudTrail: the events of each incident (deduplicated by eventID, with the raw record), where they came from
 * (collections: pulls and imports, each file or page an evidence item), resumable LookupEvents cursors, the
 * findings of the analysis and the events responders marked as supporting them, and the monitoring checks.
 */
export const migration004: Migration = {
  id: 4,
  name: 'cloudtrail',
  sql: `
CREATE TABLE cloudtrail_agent_identities (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  identity    TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  PRIMARY KEY (incident_id, identity)
) WITHOUT ROWID;

CREATE TABLE cloudtrail_collections (
  num         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('pull', 'import')),
  purpose     TEXT NOT NULL CHECK (purpose IN ('collect', 'monitoring')),
  status      TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed')),
  params      TEXT NOT NULL,
  owner       TEXT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  pages       INTEGER NOT NULL DEFAULT 0,
  records     INTEGER NOT NULL DEFAULT 0,
  new_records INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  errors      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX cloudtrail_collections_incident ON cloudtrail_collections (incident_id, num);

CREATE TABLE cloudtrail_collection_evidence (
  collection_id TEXT NOT NULL REFERENCES cloudtrail_collections(id),
  evidence_id   TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('export', 'page', 'public-keys')),
  label         TEXT NOT NULL,
  PRIMARY KEY (collection_id, evidence_id, label)
) WITHOUT ROWID;

-- Where each LookupEvents walk got to, so an interrupted pull resumes from its last page.
CREATE TABLE cloudtrail_cursors (
  collection_id TEXT NOT NULL REFERENCES cloudtrail_collections(id),
  region        TEXT NOT NULL,
  attr_key      TEXT NOT NULL,
  attr_value    TEXT NOT NULL,
  next_token    TEXT,
  pages         INTEGER NOT NULL DEFAULT 0,
  events        INTEGER NOT NULL DEFAULT 0,
  done          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (collection_id, region, attr_key, attr_value)
) WITHOUT ROWID;

CREATE TABLE cloudtrail_events (
  incident_id     TEXT NOT NULL REFERENCES incidents(id),
  event_id        TEXT NOT NULL,
  event_time      TEXT NOT NULL,
  time_sec        INTEGER NOT NULL,
  event_source    TEXT NOT NULL,
  service         TEXT NOT NULL,
  event_name      TEXT NOT NULL,
  aws_region      TEXT,
  principal       TEXT NOT NULL,
  principal_label TEXT NOT NULL,
  principal_type  TEXT,
  identity        TEXT NOT NULL,
  user_agent      TEXT,
  ua_kind         TEXT NOT NULL,
  source_ip       TEXT,
  read_only       INTEGER,
  error_code      TEXT,
  error_message   TEXT,
  rules           TEXT,
  attack          TEXT,
  destructive     INTEGER NOT NULL,
  resources       TEXT NOT NULL,
  agent           TEXT,
  burst           INTEGER NOT NULL DEFAULT 0,
  evidence_id     TEXT,
  collection_id   TEXT NOT NULL,
  PRIMARY KEY (incident_id, event_id)
);

-- The records as received, apart from the rows above, so re-marking bursts or agents never rewrites them.
CREATE TABLE cloudtrail_records (
  incident_id TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  record      TEXT NOT NULL,
  PRIMARY KEY (incident_id, event_id),
  FOREIGN KEY (incident_id, event_id) REFERENCES cloudtrail_events (incident_id, event_id)
);
CREATE INDEX cloudtrail_events_time ON cloudtrail_events (incident_id, time_sec, event_id);
CREATE INDEX cloudtrail_events_principal ON cloudtrail_events (incident_id, principal, time_sec);
CREATE INDEX cloudtrail_events_service ON cloudtrail_events (incident_id, service, time_sec);
CREATE INDEX cloudtrail_events_risk ON cloudtrail_events (incident_id, time_sec) WHERE rules IS NOT NULL;
CREATE INDEX cloudtrail_events_errors ON cloudtrail_events (incident_id, time_sec) WHERE error_code IS NOT NULL;
CREATE INDEX cloudtrail_events_agent ON cloudtrail_events (incident_id, time_sec) WHERE agent IS NOT NULL;

CREATE TABLE cloudtrail_findings (
  num            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  incident_id    TEXT NOT NULL REFERENCES incidents(id),
  key            TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('high-risk', 'high-risk-attempt', 'machine-cadence', 'automation', 'movement', 'first-destructive')),
  status         TEXT NOT NULL CHECK (status IN ('open', 'superseded')),
  severity       TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  title          TEXT NOT NULL,
  phase          TEXT NOT NULL,
  principal      TEXT,
  agent_identity TEXT,
  attack         TEXT NOT NULL,
  first_at       TEXT,
  last_at        TEXT,
  detail         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (incident_id, key)
);

CREATE TABLE cloudtrail_finding_events (
  finding_id  TEXT NOT NULL REFERENCES cloudtrail_findings(id),
  incident_id TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('analysis', 'responder')),
  marked_by   TEXT,
  marked_at   TEXT NOT NULL,
  note        TEXT,
  PRIMARY KEY (finding_id, event_id),
  FOREIGN KEY (incident_id, event_id) REFERENCES cloudtrail_events (incident_id, event_id)
) WITHOUT ROWID;
CREATE INDEX cloudtrail_finding_events_event ON cloudtrail_finding_events (incident_id, event_id);

-- The latest analysis of each incident (what the agents touched, their cadence, automation), for the summary view.
CREATE TABLE cloudtrail_analysis (
  incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
  at          TEXT NOT NULL,
  summary     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cloudtrail_monitoring_checks (
  num           INTEGER PRIMARY KEY,
  incident_id   TEXT NOT NULL REFERENCES incidents(id),
  at            TEXT NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('clear', 'alert')),
  window_start  TEXT NOT NULL,
  window_end    TEXT NOT NULL,
  events        TEXT NOT NULL,
  reopen_phase  TEXT,
  message       TEXT NOT NULL,
  collection_id TEXT
);
`,
};
