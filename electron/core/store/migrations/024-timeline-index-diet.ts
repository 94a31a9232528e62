import type { Migration } from '../migration';

/**
 * Every import maintains every index on `cloudtrail_events` (issue 21: a million calls took 898 s with both sets
 * against 280 s before migration 020). The seven whole-second indexes of migrations 004 and 012 each have a twin of
 * migration 020 on the same leading columns and the same partial condition, keyed on `time_ms` instead of `time_sec`;
 * `time_ms` is set on every row since 020 and `time_sec` is its whole second, so the reads that walked a `time_sec`
 * index now walk the twin by milliseconds with the same results (a second is `time_ms BETWEEN s * 1000 AND s * 1000 + 999`).
 * Every index of 020 is still read by some query, so none of them goes.
 */
export const migration024: Migration = {
  id: 24,
  name: 'timeline-index-diet',
  sql: `
DROP INDEX cloudtrail_events_time;
DROP INDEX cloudtrail_events_principal;
DROP INDEX cloudtrail_events_service;
DROP INDEX cloudtrail_events_risk;
DROP INDEX cloudtrail_events_errors;
DROP INDEX cloudtrail_events_agent;
DROP INDEX cloudtrail_events_cloud;
`,
};
