import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, withTarget } from '../../../electron/core/validation/adapters/connect';
import { captureBaseline } from '../../../electron/core/validation/baseline/baseline';
import { compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { parseBaselineCsv } from '../../../electron/core/validation/baseline/manifest';
import { checkBackupFile } from '../../../electron/core/validation/checks/backup-check';
import { checkDatabase } from '../../../electron/core/validation/checks/database-check';
import type { BaselineManifest, CompareResult } from '../../../electron/shared/validation';
import { tempDir } from '../../helpers/temp';
import { MARIA, REFERENCE, createMariaDb, dropMariaDb, mariaQuery, mariaUrl, mariadbCli, rowcountsCsv, silentServer, tool } from './servers';

const statusOf = (r: CompareResult) => Object.fromEntries(r.tables.map((t) => [t.table, t]));

/** Sakila (datacharmer's MariaDB-friendly variant) loaded into `db`: its schema names the database sakila. */
async function loadSakila(db: string): Promise<void> {
  const dir = `${REFERENCE}/sakila-mysql/datacharmer-mv`;
  await mariadbCli(db, readFileSync(`${dir}/sakila-mv-schema.sql`, 'utf8').replace(/\bsakila\b/g, db));
  await mariadbCli(db, readFileSync(`${dir}/sakila-mv-data.sql`, 'utf8').replace(/^USE sakila;/m, `USE ${db};`));
}

describe('MariaDB: Sakila, damaged and restored from a mariadb-dump backup', () => {
  let db = '';
  let restored = '';
  let baseline: BaselineManifest;
  const dir = tempDir('firebreak-maria-');
  const dump = join(dir.path, 'sakila.sql');

  beforeAll(async () => {
    db = await createMariaDb();
    await loadSakila(db);
  });
  afterAll(async () => {
    await dropMariaDb(db);
    if (restored) await dropMariaDb(restored);
    dir.cleanup();
  });

  it('captures every base table (not the views); the reference counts match, and film_text shows up as extra', async () => {
    baseline = await withTarget(mariaUrl(db), {}, (a) => captureBaseline(a));
    expect(baseline.engine).toBe('mariadb');
    expect(baseline.tables).toHaveLength(16);
    expect(baseline.tables.every((t) => t.checksum && !t.error)).toBe(true);
    // staff.picture is a BLOB (hashed as hex), staff.password a utf8mb3 binary-collated VARCHAR.
    expect(baseline.tables.find((t) => t.table === 'staff')?.definition?.columns.find((c) => c.name === 'picture')?.type).toBe('blob');
    const reference = parseBaselineCsv(rowcountsCsv('sakila-mysql/datacharmer-mv/sakila-mv-data.sql'), 'ROWCOUNTS.csv');
    const r = await withTarget(mariaUrl(db), {}, (a) => compareWithBaseline(a, reference));
    // ROWCOUNTS counted INSERTs in the dump; film_text is filled by a trigger on film, so the reference lacks it.
    expect(r.tables.filter((t) => t.status !== 'match').map((t) => [t.table, t.status, t.actualRows])).toEqual([['film_text', 'extra', 1000]]);
    expect(r.summary.match).toBe(15);
  });

  it("finds the agent's damage, then a match once restored from the dump", async () => {
    await tool('mariadb-dump', ['-h', MARIA.host, '-u', MARIA.user, '--single-transaction', '--routines', '--triggers', `--result-file=${dump}`, db]);
    expect((await checkBackupFile(dump)).format).toBe('sql-text');
    await mariaQuery(db, "DELETE FROM payment WHERE payment_date < '2005-06-01'");
    const deleted = 16049 - Number(((await mariaQuery(db, 'SELECT COUNT(*) AS n FROM payment')) as Array<{ n: number }>)[0]?.n);
    await mariaQuery(db, "UPDATE customer SET email = 'attacker@example.com' WHERE customer_id = 1");
    await mariaQuery(db, 'DROP TABLE film_text');
    await mariaQuery(db, 'CREATE TABLE agent_tmp (id INT)');
    const damaged = await withTarget(mariaUrl(db), {}, (a) => compareWithBaseline(a, baseline));
    const t = statusOf(damaged);
    expect(damaged.match).toBe(false);
    expect(t.payment).toMatchObject({ status: 'count-mismatch', delta: -deleted });
    expect(t.customer).toMatchObject({ status: 'checksum-mismatch', delta: 0 });
    expect(t.film_text).toMatchObject({ status: 'missing' });
    expect(t.agent_tmp).toMatchObject({ status: 'extra', actualRows: 0 });
    expect(damaged.summary.match).toBe(13);

    restored = `${db}_r`;
    await mariaQuery(undefined, `CREATE DATABASE ${restored} CHARACTER SET utf8mb4`);
    // As bytes: the dump holds staff.picture as raw binary, which a round trip through UTF-8 text would damage
    // (and the compare would catch as a checksum mismatch on staff).
    await mariadbCli(restored, readFileSync(dump));
    const healed = await withTarget(mariaUrl(restored), {}, (a) => compareWithBaseline(a, baseline));
    expect(healed.tables.filter((x) => x.status !== 'match')).toEqual([]);
  });

  it('runs CHECK TABLE on InnoDB tables and skips MyISAM, which CHECK TABLE would write to', async () => {
    await mariaQuery(db, 'CREATE TABLE legacy_myisam (id INT) ENGINE=MyISAM');
    const r = await withTarget(mariaUrl(db), {}, (a) => checkDatabase(a, { tables: ['actor', 'rental', 'legacy_myisam'] }));
    expect(r.method).toBe('mariadb-check-table');
    expect(r.tables.map((t) => [t.table, t.status])).toEqual([
      ['actor', 'ok'],
      ['rental', 'ok'],
      ['legacy_myisam', 'skipped'],
    ]);
    expect(r.ok).toBe(true);
    expect(r.tables[0]?.messages).toEqual(['status: OK']);
  });
});

describe('MariaDB: identifiers, permissions, oversized rows and bad input', () => {
  let db = '';
  const user = `fb_ro_${process.pid}`;
  beforeAll(async () => {
    db = await createMariaDb();
    await mariaQuery(
      db,
      `CREATE TABLE \`we\`\`ird\` (\`from\` INT PRIMARY KEY, \`a b\` TEXT, \`ünï\` DECIMAL(8,3));
       CREATE TABLE \`with space\` (id INT, v VARCHAR(10));
       CREATE TABLE \`ünïcödé 表\` (id INT, v TEXT);
       CREATE TABLE \`select\` (id INT, \`order\` TEXT);
       CREATE TABLE \`we"ird\` (id INT);
       CREATE TABLE latin (id INT, v VARCHAR(20) CHARACTER SET latin1);
       CREATE TABLE secret (id INT);
       INSERT INTO \`we\`\`ird\` VALUES (1, 'x', 1.5), (2, NULL, NULL);
       INSERT INTO \`with space\` VALUES (1, 'a');
       INSERT INTO \`ünïcödé 表\` VALUES (1, '表');
       INSERT INTO latin VALUES (1, 'café');
       INSERT INTO secret VALUES (42);
       CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY 'Right-Pass-1';
       GRANT SELECT ON \`${db}\`.\`with space\` TO '${user}'@'%';
       GRANT SELECT ON \`${db}\`.\`select\` TO '${user}'@'%';
       GRANT INSERT ON \`${db}\`.secret TO '${user}'@'%';`,
    );
  });
  afterAll(async () => {
    await dropMariaDb(db);
    await mariaQuery(undefined, `DROP USER IF EXISTS '${user}'@'%'`);
  });

  it('quotes backticks, quotes, spaces, Unicode and reserved words', async () => {
    const m = await withTarget(mariaUrl(db), {}, (a) => captureBaseline(a));
    expect(m.tables.map((t) => [t.table, t.rows, t.error])).toEqual([
      ['latin', 1, undefined],
      ['secret', 1, undefined],
      ['select', 0, undefined],
      ['we"ird', 0, undefined],
      ['we`ird', 2, undefined],
      ['with space', 1, undefined],
      ['ünïcödé 表', 1, undefined],
    ]);
    const chosen = await withTarget(mariaUrl(db), {}, (a) => captureBaseline(a, { tables: ['we`ird', 'select'] }));
    expect(chosen.tables.map((t) => t.table)).toEqual(['we`ird', 'select']);
    expect((await withTarget(mariaUrl(db), {}, (a) => compareWithBaseline(a, m))).match).toBe(true);
  });

  it('reports a table this user may not read, and a wrong password, clearly', async () => {
    const m = await withTarget(`mysql://${user}:Right-Pass-1@127.0.0.1:3306/${db}`, {}, (a) => captureBaseline(a));
    expect(m.tables.map((t) => t.table)).toEqual(['secret', 'select', 'with space']);
    expect(m.tables[0]?.error).toMatch(/^Table secret may not be read by this user: SELECT command denied/);
    expect(m.tables.slice(1).map((t) => t.rows)).toEqual([0, 1]);
    expect(JSON.stringify(m)).not.toContain('Right-Pass-1');
    const wrong = openTarget(`mysql://${user}:Wrong-Pass-2@127.0.0.1:3306/${db}`);
    await expect(wrong).rejects.toThrow(`mysql://${user}@127.0.0.1:3306/${db}: wrong password for user "${user}" (the server at 127.0.0.1:3306 refused it).`);
    await expect(openTarget(`mysql://${user}@127.0.0.1:3306/${db}`, { env: {} })).rejects.toThrow(/without a password; put it in the URL or set MYSQL_PWD/);
    const fromEnv = await openTarget(`mysql://${user}@127.0.0.1:3306/${db}`, { env: { MYSQL_PWD: 'Right-Pass-1' } });
    await fromEnv.close();
  });

  it('refuses to checksum rows larger than max_allowed_packet instead of skipping them silently', async () => {
    await mariaQuery(db, 'CREATE TABLE huge (id INT, a LONGTEXT, b LONGTEXT)');
    await mariaQuery(db, "INSERT INTO huge VALUES (1, 'small', 'row'), (2, REPEAT('a', 9000000), REPEAT('b', 9000000))");
    try {
      const m = await withTarget(mariaUrl(db), {}, (a) => captureBaseline(a, { tables: ['huge'] }));
      expect(m.tables[0]).toMatchObject({ table: 'huge', rows: null, checksum: null });
      expect(m.tables[0]?.error).toMatch(/huge: 1 of its 2 rows are larger than the server's max_allowed_packet/);
    } finally {
      await mariaQuery(db, 'DROP TABLE huge');
    }
  });

  it('cancels a long scan with KILL QUERY', async () => {
    await mariaQuery(db, "CREATE TABLE big AS SELECT seq AS id, MD5(seq) AS v, seq * 0.5 AS f FROM seq_1_to_600000");
    try {
      const adapter = await openTarget(mariaUrl(db));
      try {
        const controller = new AbortController();
        const started = Date.now();
        const run = adapter.measure({ schema: null, name: 'big', display: 'big' }, { checksum: true, signal: controller.signal });
        setTimeout(() => controller.abort(), 150);
        await expect(run).rejects.toMatchObject({ code: 'cancelled' });
        expect(Date.now() - started).toBeLessThan(1500);
        expect((await adapter.measure({ schema: null, name: 'latin', display: 'latin' }, { checksum: false })).rows).toBe(1);
      } finally {
        await adapter.close();
      }
    } finally {
      await mariaQuery(db, 'DROP TABLE big');
    }
  });

  it('gives clear errors for a refused port, a silent host, a missing database and TLS the server lacks', async () => {
    await expect(openTarget('mysql://root@127.0.0.1:1/x')).rejects.toThrow(/nothing is listening at 127.0.0.1:1/);
    const silent = await silentServer();
    try {
      const started = Date.now();
      await expect(openTarget(`mariadb://root:pw@127.0.0.1:${silent.port}/x?connect_timeout=1`)).rejects.toThrow(`no answer from 127.0.0.1:${silent.port} within 1 s`);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
    await expect(openTarget(mariaUrl('no_such_db_fb'))).rejects.toThrow(/there is no database "no_such_db_fb"/);
    await expect(openTarget(mariaUrl(db, '?ssl=true'))).rejects.toThrow(/TLS was required but the server at 127.0.0.1:3306 does not offer it/);
    await expect(openTarget(mariaUrl(db))).resolves.toMatchObject({ engine: 'mariadb' }).then(() => undefined);
  });
});
