import type { Migration } from '../migration';

/**
 * The incident timeline pages by key (time in milliseconds, then the row's own order), never by OFFSET, so its first
 * page and every filter change cost a few index probes at any size (issue 21: a million events).
 *
 * - Every cloud call gets its milliseconds (CloudTrail rows stored before migration 012 have none: whole seconds).
 * - `cloudtrail_events_keyset` orders the calls and carries the columns the filters test, so a filter is decided in
 *   the index and only the page's own rows are read from the table.
 * - One index per filter that can be selective (cloud, identity, service, event name and error code for the text
 *   search; destructive, high-risk, failed and agent calls as partial indexes) starts each filtered walk at the right
 *   place instead of skipping through the whole incident.
 * - Database statements and agent tool calls keep their ISO text; a virtual column turns it into milliseconds so the
 *   same keyset walks them (nothing stored twice, the insert paths unchanged).
 */
export const migration020: Migration = {
  id: 20,
  name: 'timeline',
  sql: `
UPDATE cloudtrail_events SET time_ms = time_sec * 1000 WHERE time_ms IS NULL;
CREATE INDEX cloudtrail_events_keyset ON cloudtrail_events (incident_id, time_ms, cloud, destructive, principal, event_name, error_code);
CREATE INDEX cloudtrail_events_cloud_ms ON cloudtrail_events (incident_id, cloud, time_ms);
CREATE INDEX cloudtrail_events_principal_ms ON cloudtrail_events (incident_id, principal, time_ms);
CREATE INDEX cloudtrail_events_name_ms ON cloudtrail_events (incident_id, event_name, time_ms);
CREATE INDEX cloudtrail_events_error_code_ms ON cloudtrail_events (incident_id, error_code, time_ms) WHERE error_code IS NOT NULL;
CREATE INDEX cloudtrail_events_service_ms ON cloudtrail_events (incident_id, service, time_ms);
CREATE INDEX cloudtrail_events_destructive_ms ON cloudtrail_events (incident_id, time_ms) WHERE destructive = 1;
CREATE INDEX cloudtrail_events_risk_ms ON cloudtrail_events (incident_id, time_ms) WHERE rules IS NOT NULL;
CREATE INDEX cloudtrail_events_errors_ms ON cloudtrail_events (incident_id, time_ms) WHERE error_code IS NOT NULL;
CREATE INDEX cloudtrail_events_agent_ms ON cloudtrail_events (incident_id, time_ms) WHERE agent IS NOT NULL;
ALTER TABLE db_log_statements ADD COLUMN at_ms INTEGER GENERATED ALWAYS AS (CAST(round(unixepoch(at, 'subsec') * 1000) AS INTEGER)) VIRTUAL;
CREATE INDEX db_log_statements_keyset ON db_log_statements (incident_id, at_ms);
ALTER TABLE trace_tool_calls ADD COLUMN start_ms INTEGER GENERATED ALWAYS AS (CAST(round(unixepoch(started_at, 'subsec') * 1000) AS INTEGER)) VIRTUAL;
CREATE INDEX trace_tool_calls_keyset ON trace_tool_calls (incident_id, start_ms);
`,
};
