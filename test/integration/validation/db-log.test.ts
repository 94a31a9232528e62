import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import type { DbLogImport, DbLogStatement } from '../../../electron/shared/validation';
import { tempDir } from '../../helpers/temp';
import { type BinlogMariaDb, type LoggingPostgres, startLoggingPostgres, startMariaDbWithBinlog } from './log-servers';

const run = promisify(execFile);

interface Ran {
  code: number;
  out: string;
  err: string;
}

describe('db log import: the database servers’ own record of what the agent ran', () => {
  const dir = tempDir('firebreak-dbrecord-logs-');
  const dataDir = join(dir.path, 'firebreak');
  let maria: BinlogMariaDb | null = null;
  let postgres: LoggingPostgres | null = null;
  let incident = '';

  async function fb(args: string[]): Promise<Ran> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) }, { FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead', FIREBREAK_DATA_DIR: dataDir });
    return { code, out, err };
  }
  const statements = async (): Promise<Array<DbLogStatement & { evidenceId: string }>> => JSON.parse((await fb(['db', 'log', 'list', incident, '--json'])).out).statements;

  beforeAll(async () => {
    const opened = await fb(['incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Agent dropped tables']);
    incident = opened.out.trim();
    maria = await startMariaDbWithBinlog(join(dir.path, 'maria'));
    postgres = await startLoggingPostgres(dir.path);
  }, 120_000);
  afterAll(async () => {
    await maria?.stop();
    await postgres?.stop();
    dir.cleanup();
  });

  it('imports mariadb-binlog -vv text: DDL as statements, deleted rows counted per table without their values', async () => {
    const m = maria as BinlogMariaDb;
    await m.query(`CREATE DATABASE shop; USE shop;
      CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100));
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT);
      CREATE TABLE audit (id INT);
      INSERT INTO customer SELECT seq, CONCAT('person', seq, '@example.com') FROM seq_1_to_50;
      INSERT INTO orders SELECT seq, seq FROM seq_1_to_30;
      INSERT INTO audit VALUES (1), (2);`);
    // The agent's session: one DELETE across two tables, a DROP and a TRUNCATE.
    await m.query(`USE shop;
      DELETE customer, orders FROM customer JOIN orders ON orders.customer_id = customer.id WHERE customer.id <= 20;
      DELETE FROM customer WHERE id > 45;
      DROP TABLE orders;
      TRUNCATE TABLE audit;`);
    const text = join(dir.path, 'binlog.txt');
    const tokyo = join(dir.path, 'binlog-tokyo.txt');
    const decoded = await run('mariadb-binlog', ['-vv', '--base64-output=DECODE-ROWS', m.binlog], { maxBuffer: 64 * 1024 * 1024 });
    writeFileSync(text, decoded.stdout);
    // The same log printed on a machine in another time zone: its headers differ, the statements' times must not.
    const decodedTokyo = await run('mariadb-binlog', ['-vv', '--base64-output=DECODE-ROWS', m.binlog], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: 'Asia/Tokyo' } });
    writeFileSync(tokyo, decodedTokyo.stdout);
    expect(decodedTokyo.stdout).not.toBe(decoded.stdout);

    const r = await fb(['db', 'log', 'import', incident, text, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as DbLogImport;
    expect(result.files).toMatchObject([{ source: 'mariadb-binlog', problem: null, evidenceId: expect.stringMatching(/^EV-/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(result.rowsDeleted).toEqual([
      { table: 'shop.customer', rows: 25 },
      { table: 'shop.orders', rows: 20 },
    ]);
    const all = await statements();
    const destructive = all.filter((s) => s.destructive).map((s) => [s.operation, s.table, s.rows]);
    expect(destructive).toEqual([
      ['DELETE', 'shop.customer', 20],
      ['DELETE', 'shop.orders', 20],
      ['DELETE', 'shop.customer', 5],
      ['DROP TABLE', 'shop.orders', null],
      ['TRUNCATE', 'shop.audit', null],
    ]);
    // The annotation names the statement the agent sent; the deleted rows' values are nowhere.
    expect(all.find((s) => s.rows === 5)?.statement).toBe('DELETE FROM customer WHERE id > 45');
    expect(JSON.stringify(all)).not.toMatch(/person\d+@example\.com/);
    expect(all.every((s, i) => i === 0 || (all[i - 1] as DbLogStatement).at <= s.at)).toBe(true);

    // The evidence is the log file itself.
    const evidence = await fb(['evidence', 'verify', incident, '--json']);
    expect(JSON.parse(evidence.out).items).toContainEqual(expect.objectContaining({ id: result.files[0]?.evidenceId, status: 'intact' }));

    // Printed in Tokyo, read in the same UTC instants.
    const other = await fb(['db', 'log', 'import', incident, tokyo, '--json']);
    const tokyoId = (JSON.parse(other.out) as DbLogImport).files[0]?.evidenceId;
    const after = await statements();
    const at = (id: string | undefined) => after.filter((s) => s.evidenceId === id).map((s) => [s.operation, s.table, s.at]);
    expect(at(tokyoId ?? undefined)).toHaveLength(all.length);
    expect(at(tokyoId ?? undefined)).toEqual(at(result.files[0]?.evidenceId ?? undefined));
  });

  it("imports a PostgreSQL csvlog with log_statement=all, keeping only the agent login's statements", async () => {
    const p = postgres as LoggingPostgres;
    await p.query('CREATE DATABASE app');
    await p.query(`CREATE ROLE agent LOGIN;
      CREATE TABLE customer (id int PRIMARY KEY, email text); INSERT INTO customer SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 40) g;
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customer(id)); INSERT INTO orders SELECT g, g FROM generate_series(1, 10) g;
      CREATE VIEW big_customers AS SELECT c.* FROM customer c JOIN orders o ON o.customer_id = c.id;
      GRANT ALL ON customer, orders TO agent; ALTER TABLE orders OWNER TO agent;`, 'postgres', 'app');
    await p.query(`DELETE FROM customer WHERE id > 30;
      UPDATE customer SET email = 'x;y' WHERE id = 1`, 'agent', 'app');
    await p.query('DROP TABLE orders CASCADE', 'agent', 'app');
    await p.query('SELECT count(*) FROM customer', 'postgres', 'app');
    // The logging collector writes behind the sessions: wait until the log holds the last statement.
    while (!(existsSync(p.csvlog) && readFileSync(p.csvlog, 'utf8').includes('SELECT count(*) FROM customer'))) await new Promise((r) => setTimeout(r, 100));
    const r = await fb(['db', 'log', 'import', incident, p.csvlog, '--login', 'agent', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as DbLogImport;
    const evidenceId = result.files[0]?.evidenceId;
    expect(result.files).toMatchObject([{ source: 'postgresql-csvlog', problem: null }]);
    const mine = (await statements()).filter((s) => s.evidenceId === evidenceId);
    expect(mine.map((s) => [s.login, s.database, s.operation, s.table, s.destructive])).toEqual([
      ['agent', 'app', 'DELETE', 'customer', true],
      ['agent', 'app', 'DROP TABLE', 'orders', true],
    ]);
    expect(mine[0]?.statement).toBe("DELETE FROM customer WHERE id > 30;\n      UPDATE customer SET email = 'x;y' WHERE id = 1");
    const list = await fb(['db', 'log', 'list', incident, '--destructive']);
    expect(list.out).toMatch(/! DROP TABLE\s+orders\s+\[agent\] DROP TABLE orders CASCADE/);
  });

  it('refuses a file that is no database log, taking nothing as evidence (exit 2)', async () => {
    const noise = join(dir.path, 'notes.txt');
    writeFileSync(noise, 'meeting notes\nnothing here\n');
    const before = JSON.parse((await fb(['evidence', 'verify', incident, '--json'])).out).items.length;
    const r = await fb(['db', 'log', 'import', incident, noise]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/notes\.txt: not a database log Firebreak reads/);
    expect(JSON.parse((await fb(['evidence', 'verify', incident, '--json'])).out).items.length).toBe(before);
  });
});
