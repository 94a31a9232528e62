import { describe, expect, it } from 'vitest';
import { type DbChange, correlateDb, mergeLinks } from '../../../electron/core/traces/db-correlate';

const T0 = Date.parse('2026-03-10T09:00:00Z');
const change = (over: Partial<DbChange> & { id: string; offsetMs: number }): DbChange => ({
  at: new Date(T0 + over.offsetMs).toISOString(),
  timeMs: T0 + over.offsetMs,
  login: null,
  database: 'app',
  operation: 'DELETE',
  destructive: true,
  table: null,
  rows: null,
  statement: 'DELETE FROM x',
  ...over,
});
const step = (name: string, args: unknown) => ({ startMs: T0, endMs: T0 + 1_000, tool: name, name, arguments: JSON.stringify(args) });

describe('correlateDb', () => {
  it('ties by table, by verb with the login, or by the login alone for a destructive call; never by the verb alone', () => {
    const sql = step('run_sql', { sql: 'DELETE FROM public.customer WHERE id > 30' });
    const statements = [
      change({ id: 'table', offsetMs: 200, table: 'public.customer', login: 'admin' }),
      change({ id: 'verb-only', offsetMs: 300, table: 'audit_log', login: 'admin' }),
      change({ id: 'verb-login', offsetMs: 400, table: 'audit_log', login: 'Agent' }),
      change({ id: 'too-late', offsetMs: 62_000, table: 'customer', login: 'agent' }),
    ];
    const { links, unexplained } = correlateDb([{ step: sql, destructive: true }], statements, ['agent']);
    expect(links.get(sql)?.map((l) => [l.eventID, l.confidence, l.reasons.join(',')])).toEqual([
      ['table', 'high', 'time,operation,resource'],
      ['verb-login', 'medium', 'time,operation,identity'],
    ]);
    expect(unexplained.map((u) => u.eventID)).toEqual(['verb-only', 'too-late']);

    const shell = step('cleanup', { host: 'db1' });
    const byLogin = correlateDb([{ step: shell, destructive: true }], [change({ id: 'login', offsetMs: 500, operation: 'TRUNCATE', table: 'orders', login: 'agent' })], ['agent']);
    expect(byLogin.links.get(shell)?.map((l) => [l.confidence, l.reasons.join(',')])).toEqual([['low', 'time,identity']]);
    const harmless = correlateDb([{ step: shell, destructive: false }], [change({ id: 'login', offsetMs: 500, operation: 'TRUNCATE', table: 'orders', login: 'agent' })], ['agent']);
    expect(harmless.links.get(shell)).toEqual([]);
  });

  it('keeps secrets typed into a statement out of the link', () => {
    const sql = step('run_sql', { sql: "ALTER ROLE app PASSWORD '...'; DROP TABLE orders" });
    const { links } = correlateDb([{ step: sql, destructive: true }], [change({ id: 's', offsetMs: 10, operation: 'DROP TABLE', table: 'orders', statement: 'DROP TABLE orders -- AKIAIOSFODNN7EXAMPLE' })], []);
    const kept = links.get(sql)?.[0]?.statement ?? '';
    expect(kept).toMatch(/^DROP TABLE orders -- \[redacted/);
    expect(kept).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('merges cloud and database links strongest first, then in time order', () => {
    const l = (eventID: string, confidence: 'high' | 'medium' | 'low', eventTime: string) => ({ cloud: 'aws' as const, eventID, eventTime, operation: 'x', principal: 'p', reasons: ['time' as const], confidence });
    expect(mergeLinks([l('a', 'low', '2026-01-01T00:00:01Z'), l('b', 'high', '2026-01-01T00:00:03Z')], [l('c', 'high', '2026-01-01T00:00:02Z')]).map((x) => x.eventID)).toEqual(['c', 'b', 'a']);
  });
});
