import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AnalysisBatchesRepository } from '../../../electron/core/cloudtrail/store/analysis-batches-repository';
import { type Db, migrate } from '../../../electron/core/store/database';
import { migrations } from '../../../electron/core/store/migrations/index';

const DROPPED = [
  'cloudtrail_events_time',
  'cloudtrail_events_principal',
  'cloudtrail_events_service',
  'cloudtrail_events_risk',
  'cloudtrail_events_errors',
  'cloudtrail_events_agent',
  'cloudtrail_events_cloud',
];

const TIMELINE_INDEXES = [
  'cloudtrail_events_keyset',
  'cloudtrail_events_cloud_ms',
  'cloudtrail_events_principal_ms',
  'cloudtrail_events_name_ms',
  'cloudtrail_events_error_code_ms',
  'cloudtrail_events_service_ms',
  'cloudtrail_events_destructive_ms',
  'cloudtrail_events_risk_ms',
  'cloudtrail_events_errors_ms',
  'cloudtrail_events_agent_ms',
];

/**
 * The reads on cloud calls that must stay index walks of one incident, in the shapes the repositories run them
 * (events-repository, timeline-repository, chain-events-repository), with the index each is expected to walk.
 */
const READS: Array<[name: string, sql: string, index: string]> = [
  ['stats', "SELECT count(*) AS n, min(time_ms) / 1000, max(time_ms) / 1000 FROM cloudtrail_events WHERE incident_id = 'I'", '_ms'],
  ['activity span', "SELECT min(time_ms) / 1000, max(time_ms) / 1000, count(DISTINCT principal) FROM cloudtrail_events WHERE incident_id = 'I'", 'cloudtrail_events_principal_ms'],
  ['activity span of one cloud', "SELECT min(time_ms) / 1000, max(time_ms) / 1000, count(DISTINCT principal) FROM cloudtrail_events WHERE incident_id = 'I' AND cloud = 'aws'", 'cloudtrail_events_keyset'],
  ['activity buckets', "SELECT time_sec, count(*), sum(destructive) FROM cloudtrail_events WHERE incident_id = 'I' AND principal = 'p' GROUP BY time_sec", 'cloudtrail_events_principal_ms'],
  ['identities', "SELECT principal, count(*) FROM cloudtrail_events WHERE incident_id = 'I' GROUP BY principal", 'cloudtrail_events_principal_ms'],
  ['services', "SELECT service, count(*) FROM cloudtrail_events WHERE incident_id = 'I' GROUP BY service", 'cloudtrail_events_service_ms'],
  ['calls per cloud', "SELECT cloud, count(*) FROM cloudtrail_events WHERE incident_id = 'I' GROUP BY cloud", 'cloudtrail_events_cloud_ms'],
  ['list page in a range', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND time_ms >= 1000 AND time_ms <= 9999 ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_keyset'],
  ['list page of high-risk calls', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND rules IS NOT NULL ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_risk_ms'],
  ['list page of failed calls', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND error_code IS NOT NULL ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_errors_ms'],
  ['list page of agent calls', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND agent IS NOT NULL ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_agent_ms'],
  ['list page of one service', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND service = 's3' ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_service_ms'],
  [
    'same-second calls',
    "SELECT 1 FROM cloudtrail_events o WHERE o.incident_id = 'I' AND o.time_ms BETWEEN 5000 AND 5999 AND o.event_id <> 'e' AND o.sub_second = 0",
    'cloudtrail_events_keyset',
  ],
  ['timeline page', "SELECT time_ms, rowid FROM cloudtrail_events WHERE incident_id = 'I' AND (time_ms, rowid) > (1, 2) ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_keyset'],
  ['timeline destructive page', "SELECT time_ms, rowid FROM cloudtrail_events WHERE incident_id = 'I' AND destructive = 1 ORDER BY time_ms, rowid LIMIT 50", 'cloudtrail_events_destructive_ms'],
  ['timeline second probe', "SELECT 1 FROM cloudtrail_events WHERE incident_id = 'I' AND time_ms BETWEEN 5000 AND 5999 AND rowid <> 3 LIMIT 1", 'cloudtrail_events_keyset'],
  ['agent risky calls (analysis)', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND agent IS NOT NULL AND (destructive = 1 OR rules IS NOT NULL) AND time_ms BETWEEN 1000 AND 5999 ORDER BY time_ms, rowid", 'cloudtrail_events_agent_ms'],
  ['agent identities (findings)', "SELECT DISTINCT identity FROM cloudtrail_events WHERE incident_id = 'I' AND agent IS NOT NULL LIMIT 5", 'cloudtrail_events_agent_ms'],
  ['destructive calls (findings)', "SELECT principal FROM cloudtrail_events WHERE incident_id = 'I' AND destructive = 1 ORDER BY agent IS NULL, principal, event_name, time_ms, rowid LIMIT 5", 'cloudtrail_events_destructive_ms'],
  ['decision chain window', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND time_ms BETWEEN 1 AND 2 ORDER BY time_ms, rowid LIMIT 5", 'cloudtrail_events_keyset'],
  ['decision chain agent calls', "SELECT event_id FROM cloudtrail_events WHERE incident_id = 'I' AND agent IS NOT NULL AND destructive = 1 ORDER BY time_sec, rowid LIMIT 5", 'cloudtrail_events_agent_ms'],
];

describe('migration 024: the whole-second indexes of 004 and 012 give way to their millisecond twins', () => {
  const db = new Database(':memory:');
  migrate(db, migrations, 'the test database');
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cloudtrail_events'").pluck().all() as string[];

  it('drops the seven time_sec indexes and keeps every index of migration 020', () => {
    for (const name of DROPPED) expect(indexes).not.toContain(name);
    for (const name of TIMELINE_INDEXES) expect(indexes).toContain(name);
  });

  it.each(READS)('reads %s through an index, never a scan of the calls', (_name, sql, index) => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH (cloudtrail_events|o) USING (COVERING )?INDEX/);
    expect(plan).not.toMatch(/SCAN (cloudtrail_events|o)\b/);
    expect(plan).toContain(index);
  });

  it("walks one analysis batch's rowid range, not every call of the incident per batch", () => {
    // The statements the repository itself runs, captured as it prepares them.
    const run: string[] = [];
    const prepare = db.prepare.bind(db);
    const spy = Object.assign(Object.create(db) as Db, {
      prepare: (sql: string) => {
        run.push(sql);
        return prepare(sql);
      },
      exec: (sql: string) => db.exec(sql),
    });
    const batches = new AnalysisBatchesRepository(spy);
    batches.prepareAgentMatches('I', { identities: [], match: () => null });
    batches.prepareBurstRanges(new Map());
    batches.reattributeBatch('I', 1, 10_000);
    batches.markBurstsBatch('I', 1, 10_000);
    const updates = run.filter((sql) => sql.startsWith('UPDATE cloudtrail_events'));
    expect(updates).toHaveLength(2);
    for (const sql of updates) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('I', 1, 10_000) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan).toContain('SEARCH cloudtrail_events USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    }
  });
});
