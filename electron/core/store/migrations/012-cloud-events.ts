import type { Migration } from '../migration';

/**
 * Azure Activity Log and GCP Cloud Audit Logs calls stored beside CloudTrail's, in the same table, so the incident's
 * findings, cadence, blast radius and timeline read all three clouds. `time_ms` and `sub_second` keep the order the
 * sources that have fractions of a second can tell (CloudTrail's whole seconds cannot); `operation_key` folds the two
 * records of one operation (Azure Start and outcome, GCP first and last entry), and `started` says the row still holds
 * only the start, so the outcome, when it comes, settles the status.
 */
export const migration012: Migration = {
  id: 12,
  name: 'cloud-events',
  sql: `
ALTER TABLE cloudtrail_events ADD COLUMN cloud TEXT NOT NULL DEFAULT 'aws' CHECK (cloud IN ('aws', 'azure', 'gcp'));
ALTER TABLE cloudtrail_events ADD COLUMN time_ms INTEGER;
ALTER TABLE cloudtrail_events ADD COLUMN sub_second INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cloudtrail_events ADD COLUMN operation_key TEXT;
ALTER TABLE cloudtrail_events ADD COLUMN started INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cloudtrail_events_operation ON cloudtrail_events (incident_id, operation_key) WHERE operation_key IS NOT NULL;
CREATE INDEX cloudtrail_events_cloud ON cloudtrail_events (incident_id, cloud, time_sec);
`,
};
