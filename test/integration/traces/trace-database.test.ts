import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentTraces, TraceScanReport } from '../../../electron/shared/traces';
import { runFirebreak } from '../../helpers/cli';
import { otlpRuns } from '../../helpers/infra-agent-trace';
import { tempDir } from '../../helpers/temp';
import { type LoggingPostgres, startLoggingPostgres } from '../validation/log-servers';

/**
 * A PostgreSQL cluster the test starts, logging every statement to csvlog. The agent's tool calls run SQL as the login
 * `agent`; afterwards an administrator, not the agent, empties a table no tool call names. The trace is recorded with the
 * OpenTelemetry SDK at the moments the statements really ran.
 */
const dir = tempDir('firebreak-traces-db-');
const env = { FIREBREAK_DATA_DIR: join(dir.path, 'data') };
let pg: LoggingPostgres | null = null;
let traceFile = '';

async function run(sql: string, login: string): Promise<{ startMs: number; endMs: number }> {
  const startMs = Date.now();
  await (pg as LoggingPostgres).query(sql, login, 'app');
  return { startMs, endMs: Date.now() + 5 };
}

beforeAll(async () => {
  pg = await startLoggingPostgres(dir.path);
  await pg.query('CREATE DATABASE app');
  await pg.query(
    `CREATE ROLE agent LOGIN;
     CREATE TABLE customer (id int PRIMARY KEY, email text); INSERT INTO customer SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 40) g;
     CREATE TABLE orders_archive (id int); CREATE TABLE audit_log (id int); INSERT INTO audit_log VALUES (1), (2);
     GRANT ALL ON customer TO agent; ALTER TABLE orders_archive OWNER TO agent;`,
    'postgres',
    'app',
  );
  const del = await run('DELETE FROM customer WHERE id > 30', 'agent');
  const drop = await run('DROP TABLE orders_archive', 'agent');
  await run('DELETE FROM audit_log', 'postgres');
  await pg.query('SELECT 1 AS done', 'postgres', 'app');
  // The logging collector writes behind the sessions: wait until the log holds the last statement.
  while (!(existsSync(pg.csvlog) && readFileSync(pg.csvlog, 'utf8').includes('SELECT 1 AS done'))) await new Promise((r) => setTimeout(r, 100));
  traceFile = join(dir.path, 'sql-agent.json');
  writeFileSync(
    traceFile,
    otlpRuns({ 'service.name': 'sql-agent' }, [
      {
        agent: 'sql-agent',
        calls: [
          { name: 'run_sql', args: { sql: 'DELETE FROM customer WHERE id > 30' }, ...del, said: 'Customers above 30 are test data; removing them.' },
          { name: 'run_sql', args: { sql: 'DROP TABLE orders_archive' }, ...drop },
        ],
      },
    ]),
  );
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  dir.cleanup();
});

/**
 * Each call's strongest database link (links come strongest first). The set-up statements a few seconds earlier name the
 * same tables, so a call may also hold weaker links to them: by time and table, which is what they share.
 */
const dbLinks = (calls: IncidentTraces['toolCalls']) =>
  calls.map((t) => t.correlated.filter((c) => c.cloud === 'db').slice(0, 1).map((c) => [c.operation, c.table, c.principal, c.confidence, c.reasons.join(',')]));

describe("the database's own log in the decision chain", () => {
  it('ties each SQL tool call to the statement the agent login ran, whichever was imported first, and names the one no call explains', async () => {
    const id = (await runFirebreak(['incident', 'new', '--playbook', 'agent-change-freeze-breach', '--param', 'agent_db_role=agent'], env)).stdout.trim();
    expect((await runFirebreak(['trace', 'import', id, traceFile], env)).code).toBe(0);
    const before = JSON.parse((await runFirebreak(['trace', 'show', id, '--json'], env)).stdout) as IncidentTraces;
    expect(dbLinks(before.toolCalls)).toEqual([[], []]);

    const imported = await runFirebreak(['db', 'log', 'import', id, (pg as LoggingPostgres).csvlog], env);
    expect(imported.code).toBe(0);
    const chain = JSON.parse((await runFirebreak(['trace', 'show', id, '--json'], env)).stdout) as IncidentTraces;
    expect(dbLinks(chain.toolCalls)).toEqual([
      [['DELETE', 'customer', 'agent', 'high', 'time,operation,resource,identity']],
      [['DROP TABLE', 'orders_archive', 'agent', 'high', 'time,operation,resource,identity']],
    ]);
    expect(chain.toolCalls[0]?.correlated[0]).toEqual(expect.objectContaining({ eventID: expect.stringMatching(/^EV-\d+:\d+:customer$/), statement: 'DELETE FROM customer WHERE id > 30', database: 'app' }));
    expect(chain.unexplained.map((u) => [u.cloud, u.operation, u.principal, u.resources])).toEqual([['db', 'DELETE', 'postgres', ['audit_log']]]);
    expect(chain.axis.events.filter((e) => e.source === 'db' && e.destructive).map((e) => e.resource)).toEqual(['customer', 'orders_archive', 'audit_log']);

    const md = join(dir.path, 'report.md');
    expect((await runFirebreak(['report', id, '--kind', 'incident', '--format', 'md', '--out', md], env)).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('Database changes tied to it');
    expect(text).toMatch(/DROP TABLE orders_archive by agent at \S+ EV-\d+:\d+:orders_archive \(high: time, operation, resource, identity\)/);
    expect(text).toMatch(/- database DELETE audit_log by postgres at /);
  });

  it('reads the csvlog beside the trace in the stateless scan, the agent login named with --agent', async () => {
    const scan = await runFirebreak(['trace', 'scan', traceFile, '--logs', (pg as LoggingPostgres).csvlog, '--agent', 'agent', '--json'], env);
    expect(scan.stderr).toBe('');
    const report = JSON.parse(scan.stdout) as TraceScanReport;
    expect(report.files.find((f) => f.format === 'db-log')).toEqual(expect.objectContaining({ status: 'ok', reason: null }));
    expect(report.dbStatements).toBeGreaterThan(3);
    expect(dbLinks(report.toolCalls)).toEqual([
      [['DELETE', 'customer', 'agent', 'high', 'time,operation,resource,identity']],
      [['DROP TABLE', 'orders_archive', 'agent', 'high', 'time,operation,resource,identity']],
    ]);
    expect(report.unexplained.map((u) => [u.cloud, u.operation, u.resources])).toEqual([['db', 'DELETE', ['audit_log']]]);
    // Without the login, the statement's verb and table in the arguments still tie them; the administrator's DELETE, whose
    // verb alone matches the first call, stays unexplained.
    const anonymous = JSON.parse((await runFirebreak(['trace', 'scan', traceFile, '--logs', (pg as LoggingPostgres).csvlog, '--json'], env)).stdout) as TraceScanReport;
    expect(dbLinks(anonymous.toolCalls).map((l) => l.map((c) => c[4]))).toEqual([['time,operation,resource'], ['time,operation,resource']]);
    expect(anonymous.unexplained.map((u) => u.resources)).toEqual([['audit_log']]);
  });
});
