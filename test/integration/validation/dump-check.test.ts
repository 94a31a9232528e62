import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackupFile } from '../../../electron/core/validation/checks/backup-check';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { MARIA, PG, createMariaDb, createPgDb, dropMariaDb, dropPgDb, mariadbCli, psql, tool } from './servers';

/** Rows whose values hold the delimiters and quotes a naive reader would trip over. */
const TRICKY = `'semi;colon', 'it''s', 'back\\\\slash', 'two\nlines', '-- not a comment', '/* nor this */'`;

/** Cuts a copy of `file` to `bytes` with coreutils' truncate, as a dump cut short by a full disk or a killed job. */
async function cutCopy(file: string, bytes: number, out: string): Promise<string> {
  writeFileSync(out, readFileSync(file));
  await tool('truncate', ['-s', String(bytes), out]);
  return out;
}

/** Offsets spread over the whole file, and the byte just before its completion line. */
function cutPoints(file: string, trailer: string): number[] {
  const text = readFileSync(file);
  const size = text.length;
  const points = Array.from({ length: 24 }, (_, i) => Math.floor((size * (i + 1)) / 25));
  points.push(text.lastIndexOf(Buffer.from(trailer)));
  return points;
}

describe('plain SQL dumps made by the real tools', () => {
  const dir = tempDir('firebreak-dbrecord-dumps-');
  let maria = '';
  let pgDb = '';
  const mysqlDump = join(dir.path, 'shop.sql');
  const pgDump = join(dir.path, 'shop-pg.sql');

  beforeAll(async () => {
    maria = await createMariaDb();
    await mariadbCli(
      maria,
      `CREATE TABLE customer (id INT PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT);
       INSERT INTO customer SELECT seq, ${TRICKY} FROM seq_1_to_3000;
       CREATE VIEW customer_names AS SELECT id, a FROM customer;
       DELIMITER ;;
       CREATE TRIGGER customer_ins BEFORE INSERT ON customer FOR EACH ROW BEGIN SET NEW.a = CONCAT(NEW.a, ';'); END;;
       CREATE PROCEDURE purge_orphans() BEGIN DELETE FROM customer WHERE id < 0; SELECT 1; END;;
       DELIMITER ;`,
    );
    await tool('mariadb-dump', ['-h', MARIA.host, '-P', String(MARIA.port), '-u', MARIA.user, '--routines', '--triggers', '--skip-extended-insert', `--result-file=${mysqlDump}`, maria]);
    pgDb = await createPgDb();
    await psql(
      pgDb,
      `CREATE TABLE customer (id int PRIMARY KEY, a text, b text, c text, d text, e text, f text);
       INSERT INTO customer SELECT g, ${TRICKY.replace('back\\\\slash', 'back\\slash')} FROM generate_series(1, 3000) g;
       CREATE VIEW customer_names AS SELECT id, a FROM customer;
       CREATE FUNCTION purge_orphans() RETURNS int LANGUAGE plpgsql AS $$ BEGIN DELETE FROM customer WHERE id < 0; RETURN 1; END; $$;`,
    );
    await tool('pg_dump', ['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-Fp', '-f', pgDump, pgDb]);
  });
  afterAll(async () => {
    if (maria) await dropMariaDb(maria);
    if (pgDb) await dropPgDb(pgDb);
    dir.cleanup();
  });

  it('a whole mariadb-dump is OK, with its header, statements and completion line', async () => {
    const check = await checkBackupFile(mysqlDump);
    expect(check).toMatchObject({ ok: true, format: 'sql-text', problems: [] });
    expect(check.sqlDump).toMatchObject({ tool: 'mariadb-dump', trailer: true, balanced: true, createTables: 1, compressed: false, endByte: statSync(mysqlDump).size });
    // One INSERT per row (--skip-extended-insert), plus the schema and session statements.
    expect(check.sqlDump?.statements).toBeGreaterThan(3000);
  });

  it('a whole pg_dump plain file is OK; gzip-compressed too', async () => {
    expect(await checkBackupFile(pgDump)).toMatchObject({ ok: true, sqlDump: { tool: 'pg_dump', trailer: true, balanced: true, createTables: 1 } });
    const gz = join(dir.path, 'shop-pg.sql.gz');
    writeFileSync(gz, gzipSync(readFileSync(pgDump)));
    expect(await checkBackupFile(gz)).toMatchObject({ ok: true, format: 'gzip', sqlDump: { tool: 'pg_dump', compressed: true, trailer: true } });
    const cutGz = await cutCopy(gz, Math.floor(statSync(gz).size / 2), join(dir.path, 'cut.sql.gz'));
    const cut = await checkBackupFile(cutGz);
    expect(cut.ok).toBe(false);
    expect(cut.problems[0]).toMatch(/^The gzip stream is damaged or cut short \(unexpected end of file\): the SQL ends at line \d+ \(byte \d+ of the uncompressed SQL\)\.$/);
  });

  it('every truncated mariadb-dump fails and says where it ends', async () => {
    for (const at of cutPoints(mysqlDump, '-- Dump completed')) {
      const cut = await cutCopy(mysqlDump, at, join(dir.path, `cut-${at}.sql`));
      const check = await checkBackupFile(cut);
      expect(check.ok, `cut at byte ${at}`).toBe(false);
      expect(check.sqlDump).toMatchObject({ tool: 'mariadb-dump', trailer: false, endByte: at });
      expect(check.problems[0]).toMatch(new RegExp(`^The dump ends at line \\d+ \\(byte ${at}\\) `));
    }
    // Cut inside a row: the message names the string, and the INSERT it belongs to.
    const text = readFileSync(mysqlDump, 'utf8');
    const inRow = text.indexOf("'semi;co", text.indexOf('INSERT INTO `customer` VALUES (1500,')) + 6;
    const check = await checkBackupFile(await cutCopy(mysqlDump, inRow, join(dir.path, 'in-row.sql')));
    expect(check.problems[0]).toMatch(/inside a quoted string begun at line (\d+), in the statement begun at line \1 \(INSERT INTO `customer` VALUES \(1500,'semi;…\): it was cut short\.$/);
  });

  it('every truncated pg_dump fails; one cut in the COPY data names the table', async () => {
    for (const at of cutPoints(pgDump, '-- PostgreSQL database dump complete')) {
      const check = await checkBackupFile(await cutCopy(pgDump, at, join(dir.path, `pgcut-${at}.sql`)));
      expect(check.ok, `cut at byte ${at}`).toBe(false);
      expect(check.sqlDump).toMatchObject({ tool: 'pg_dump', trailer: false, endByte: at });
    }
    const text = readFileSync(pgDump, 'utf8');
    const inCopy = text.indexOf('\n1500\t') + 1;
    const check = await checkBackupFile(await cutCopy(pgDump, inCopy, join(dir.path, 'in-copy.sql')));
    expect(check.problems[0]).toMatch(/ends at line \d+ \(byte \d+\) inside the COPY data of public\.customer begun at line \d+, without its terminating "\\\." line: it was cut short\.$/);
  });

  it('the real executable: check-backup exits 1 for random bytes and a truncated dump, 0 for a whole one', async () => {
    const noise = join(dir.path, 'noise.bak');
    writeFileSync(noise, randomBytes(64 * 1024));
    const random = await runFirebreak(['db', 'check-backup', noise]);
    expect(random.code).toBe(1);
    expect(random.stdout).toMatch(/\(65536 bytes, unknown\)[\s\S]*PROBLEM: The file is not a backup format Firebreak can check/);
    const cut = await cutCopy(mysqlDump, Math.floor(statSync(mysqlDump).size / 2), join(dir.path, 'half.sql'));
    const half = await runFirebreak(['db', 'check-backup', cut, '--json']);
    expect(half.code).toBe(1);
    expect(JSON.parse(half.stdout)).toMatchObject({ ok: false, format: 'sql-text', sqlDump: { tool: 'mariadb-dump', trailer: false } });
    const whole = await runFirebreak(['db', 'check-backup', mysqlDump]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/plain SQL dump: mariadb-dump .*\n.*\n {4}statements balanced: yes; completion line: yes\nOK\n$/);
  });
});
