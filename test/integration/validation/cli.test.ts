import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { PG, createPgDb, dropPgDb, pgQuery, psql, tool } from './servers';

interface Ran {
  code: number;
  out: string;
  err: string;
}

/** The CLI in-process, as the contract specifies it: exit code, stdout, stderr. */
async function fb(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) }, { FIREBREAK_ACTOR: 'Dana Reyes', ...env });
  return { code, out, err };
}

describe('firebreak db (in-process)', () => {
  const dir = tempDir('firebreak-db-cli-');
  const lite = join(dir.path, 'orders.db');
  const baselineFile = join(dir.path, 'baseline.json');
  let pgDb = '';

  beforeAll(async () => {
    const db = new Database(lite);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total DECIMAL(10,2));
             CREATE TABLE "order items" (order_id INTEGER, sku TEXT);
             INSERT INTO orders VALUES (1, 9.99), (2, 20.00), (3, 5.5);
             INSERT INTO "order items" VALUES (1, 'A'), (2, 'B')`);
    db.close();
    pgDb = await createPgDb();
    await psql(pgDb, `CREATE TABLE accounts (id int PRIMARY KEY, owner text); INSERT INTO accounts SELECT g, 'owner ' || g FROM generate_series(1, 50) g;
                      CREATE TABLE audit (id int); INSERT INTO audit VALUES (1);`);
  });
  afterAll(async () => {
    await dropPgDb(pgDb);
    dir.cleanup();
  });

  it('db baseline writes a manifest; db compare prints a table and exits 0 on a match', async () => {
    const b = await fb(['db', 'baseline', `sqlite:${lite}`, '--out', baselineFile]);
    expect(b).toMatchObject({ code: 0 });
    expect(b.out).toMatch(/^Baseline of 2 tables \(5 rows\) from sqlite:.*orders\.db written to .*baseline\.json\nsha256 [0-9a-f]{64}\n$/);
    expect(b.err).toMatch(/\[1\/2\] order items: 2 rows\n\[2\/2\] orders: 3 rows\n/);
    expect(JSON.parse(readFileSync(baselineFile, 'utf8'))).toMatchObject({ format: 'firebreak-baseline', version: 1, engine: 'sqlite' });
    const c = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', baselineFile]);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/MATCH: all 2 tables agree with the baseline \(5 rows\)\./);
  });

  it('db compare --json has the contract shape and exits 1 on any mismatch', async () => {
    const db = new Database(lite);
    db.exec("DELETE FROM orders WHERE id = 3; UPDATE \"order items\" SET sku = 'Z' WHERE order_id = 2; CREATE TABLE agent_tmp (x)");
    db.close();
    const c = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', baselineFile, '--json']);
    expect(c.code).toBe(1);
    expect(c.err).toBe('');
    const r = JSON.parse(c.out);
    expect(r.match).toBe(false);
    expect(r.tables.map((t: Record<string, unknown>) => ({ table: t.table, status: t.status, baselineRows: t.baselineRows, actualRows: t.actualRows }))).toEqual([
      { table: 'agent_tmp', status: 'extra', baselineRows: null, actualRows: 0 },
      { table: 'order items', status: 'checksum-mismatch', baselineRows: 2, actualRows: 2 },
      { table: 'orders', status: 'count-mismatch', baselineRows: 3, actualRows: 2 },
    ]);
    expect(r.tables[2].delta).toBe(-1);
    const text = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', baselineFile]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/orders\s+count-mismatch\s+3\s+2\s+-1\s+1 row fewer than the baseline/);
  });

  it('db compare takes a CSV of table,rows too', async () => {
    const csv = join(dir.path, 'counts.csv');
    writeFileSync(csv, 'table,rows\norders,2\n"order items",2\nagent_tmp,0\n');
    const c = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', csv, '--json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).notes[0]).toMatch(/row counts only/);
  });

  it('exits 2 with a clear message for bad input', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{"format":"firebreak-baseline","version":1}');
    const r1 = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', bad]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/bad\.json is not a Firebreak baseline manifest\.\n {2}source: /);
    const r2 = await fb(['db', 'compare', `sqlite:${lite}`, '--baseline', join(dir.path, 'nope.json')]);
    expect(r2).toMatchObject({ code: 2, err: expect.stringMatching(/nope\.json does not exist/) });
    const r3 = await fb(['db', 'baseline', 'mysql://root:topsecret@127.0.0.1:1/x', '--out', join(dir.path, 'x.json')]);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/^firebreak: mysql:\/\/root@127\.0\.0\.1:1\/x: nothing is listening at 127\.0\.0\.1:1/);
    expect(r3.err).not.toContain('topsecret');
    const r4 = await fb(['db', 'baseline', `sqlite:${lite}`, '--table', 'missing', '--out', join(dir.path, 'y.json')]);
    expect(r4).toMatchObject({ code: 2, err: expect.stringMatching(/has no table "missing"\.\n {2}Tables there: agent_tmp, order items, orders/) });
    const r5 = await fb(['db', 'baseline', `sqlite:${lite}`]);
    expect(r5.code).toBe(2);
    expect(r5.err).toMatch(/--out <file>/);
  });

  it('reads the password from the URL or PGPASSWORD and never writes it anywhere', async () => {
    const out = join(dir.path, 'pg.json');
    const r = await fb(['db', 'baseline', `postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}`, '--table', 'accounts', '--out', out], { PGPASSWORD: 'Env-Secret-42' });
    expect(r.code).toBe(0);
    const withUrl = await fb(['db', 'compare', `postgres://${PG.user}:Url-Secret-43@${PG.host}:${PG.port}/${pgDb}`, '--baseline', out, '--json']);
    expect(withUrl.code).toBe(0);
    const everything = [r.out, r.err, withUrl.out, withUrl.err, readFileSync(out, 'utf8')].join('\n');
    expect(everything).not.toMatch(/Env-Secret-42|Url-Secret-43/);
    expect(JSON.parse(withUrl.out).target).toBe(`postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}`);
    await pgQuery(pgDb, 'DELETE FROM accounts WHERE id > 45');
    const after = await fb(['db', 'compare', `postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}`, '--baseline', out, '--json']);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.out).tables).toMatchObject([{ table: 'public.accounts', status: 'count-mismatch', baselineRows: 50, actualRows: 45, delta: -5 }]);
  });

  it('db check-backup checks a pg_dump archive and a recorded SHA-256; db check runs integrity checks', async () => {
    const dump = join(dir.path, 'pg.dump');
    await tool('pg_dump', ['-h', PG.host, '-U', PG.user, '-Fc', '-f', dump, pgDb]);
    const ok = await fb(['db', 'check-backup', dump]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/pg_restore --list: ok; \d+ entries listed/);
    expect(ok.out).toMatch(/ {4}TABLE DATA: 2\n/);
    expect(ok.out).toMatch(/read-through of every data block: ok\nOK\n$/);
    const bad = await fb(['db', 'check-backup', dump, '--sha256', '0'.repeat(64), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, sha256Match: false, format: 'pg-custom' });
    const check = await fb(['db', 'check', `sqlite:${lite}`, '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out)).toMatchObject({ ok: true, method: 'sqlite-integrity-check', messages: ['ok'] });
    const pg = await fb(['db', 'check', `postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}`]);
    expect(pg.code).toBe(0);
    expect(pg.out).toMatch(/public\.accounts\s+ok\s+45 rows read/);
  });

  it('the real executable exits 1 on a mismatch, 0 on a match and 2 on bad usage', async () => {
    const mismatch = await runFirebreak(['db', 'compare', `sqlite:${lite}`, '--baseline', baselineFile, '--json']);
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.stdout).match).toBe(false);
    const fresh = join(dir.path, 'fresh.json');
    expect((await fb(['db', 'baseline', `sqlite:${lite}`, '--out', fresh])).code).toBe(0);
    expect((await runFirebreak(['db', 'compare', `sqlite:${lite}`, '--baseline', fresh])).code).toBe(0);
    const usage = await runFirebreak(['db', 'compare', `sqlite:${lite}`]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--baseline <file>' not specified/);
  });
});
