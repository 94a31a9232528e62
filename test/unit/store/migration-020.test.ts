import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/database';
import { migrations } from '../../../electron/core/store/migrations/index';

/** Migration 020 on a database that already holds events, statements and tool calls (it runs after them in the field). */
describe('migration 020: the timeline keys', () => {
  it('gives CloudTrail rows stored without milliseconds their whole seconds, and reads statement and tool-call times as milliseconds', () => {
    const db = new Database(':memory:');
    // Rows of one table each, without the incident and evidence rows they would point to.
    db.pragma('foreign_keys = OFF');
    migrate(db, migrations.filter((m) => m.id < 20), 'the test database');
    db.prepare(
      `INSERT INTO cloudtrail_events (incident_id, event_id, event_time, time_sec, event_source, service, event_name, principal, principal_label, identity, ua_kind, destructive, resources, collection_id)
       VALUES ('IR-1', 'e1', '2026-03-10T09:00:05Z', 1773133205, 's3.amazonaws.com', 's3', 'DeleteBucket', 'p', 'p', '{}', 'sdk', 1, '[]', 'C-1')`,
    ).run();
    db.prepare(
      `INSERT INTO db_log_statements (incident_id, evidence_id, line, at, source, operation, destructive, table_name, statement)
       VALUES ('IR-1', 'EV-1', 7, '2026-03-10T09:00:05.250Z', 'postgresql-csvlog', 'DROP TABLE', 1, 'orders', 'DROP TABLE orders')`,
    ).run();
    db.prepare(
      `INSERT INTO trace_tool_calls (import_id, incident_id, trace_id, step_id, name, started_at, destructive, correlated)
       VALUES ('TR-1', 'IR-1', 't', 's', 'run_sql', '2026-03-10T09:00:04.999Z', 1, '[]')`,
    ).run();
    migrate(db, migrations, 'the test database');
    expect(db.prepare('SELECT time_ms FROM cloudtrail_events').get()).toEqual({ time_ms: 1773133205000 });
    expect(db.prepare('SELECT at_ms FROM db_log_statements').get()).toEqual({ at_ms: Date.parse('2026-03-10T09:00:05.250Z') });
    expect(db.prepare('SELECT start_ms FROM trace_tool_calls').get()).toEqual({ start_ms: Date.parse('2026-03-10T09:00:04.999Z') });
    // The timeline's walks use the new indexes, not a scan.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' ');
    expect(plan("SELECT rowid FROM db_log_statements WHERE incident_id = 'IR-1' ORDER BY at_ms, rowid LIMIT 5")).toContain('db_log_statements_keyset');
    expect(plan("SELECT rowid FROM trace_tool_calls WHERE incident_id = 'IR-1' ORDER BY start_ms, rowid LIMIT 5")).toContain('trace_tool_calls_keyset');
    expect(plan("SELECT rowid FROM cloudtrail_events WHERE incident_id = 'IR-1' AND destructive = 1 ORDER BY time_ms, rowid LIMIT 5")).toContain('cloudtrail_events_destructive_ms');
    db.close();
  });
});
