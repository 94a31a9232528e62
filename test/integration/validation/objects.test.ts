import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTarget } from '../../../electron/core/validation/adapters/connect';
import { captureBaseline, serializeManifest } from '../../../electron/core/validation/baseline/baseline';
import { compareSummaryLine, compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { parseBaselineJson } from '../../../electron/core/validation/baseline/manifest';
import { formatCompare } from '../../../electron/cli/format/validation';
import type { BaselineManifest, CompareResult } from '../../../electron/shared/validation';
import { tempDir } from '../../helpers/temp';
import { MARIA, PG, createMariaDb, createPagilaDb, createPgDb, dropMariaDb, dropPgDb, mariaQuery, mariaUrl, mariadbCli, pgQuery, pgUrl, psql, tool } from './servers';

const changed = (r: CompareResult) => (r.objects ?? []).filter((o) => o.status !== 'match').map((o) => [o.kind, o.name, o.status]);

describe('PostgreSQL: views, functions, triggers and sequences of Pagila', () => {
  let db = '';
  let restored = '';
  let baseline: BaselineManifest;
  const dir = tempDir('firebreak-dbrecord-objects-');

  beforeAll(async () => {
    db = await createPagilaDb();
  });
  afterAll(async () => {
    await dropPgDb(db);
    if (restored) await dropPgDb(restored);
    dir.cleanup();
  });

  it('records every view, function, trigger and sequence by a hash of its definition', async () => {
    baseline = await withTarget(pgUrl(db), {}, (a) => captureBaseline(a));
    const views = (await pgQuery(db, "SELECT schemaname || '.' || viewname AS v FROM pg_views WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.v as string);
    const objects = baseline.objects ?? [];
    expect(objects.filter((o) => o.kind === 'view').map((o) => o.name)).toEqual(views);
    expect(objects.filter((o) => o.kind === 'materialized-view').map((o) => o.name)).toEqual(['public.rental_by_category']);
    expect(objects.find((o) => o.name === 'public.film_in_stock(p_film_id integer, p_store_id integer, OUT p_film_count integer)')).toMatchObject({ kind: 'function' });
    expect(objects.find((o) => o.name === 'public.film.film_fulltext_trigger')).toMatchObject({ kind: 'trigger', table: 'public.film' });
    expect(objects.find((o) => o.name === 'public.actor_actor_id_seq')).toMatchObject({ kind: 'sequence' });
    expect(objects.every((o) => /^[0-9a-f]{64}$/.test(o.definitionSha256))).toBe(true);
    // Written and read back, the manifest keeps them.
    expect(parseBaselineJson(serializeManifest(baseline), 'b.json').objects).toEqual(objects);
  });

  it('a pg_dump restore into another database matches, objects included', async () => {
    const dump = join(dir.path, 'pagila.dump');
    await tool('pg_dump', ['-h', PG.host, '-U', PG.user, '-Fc', '-f', dump, db]);
    restored = await createPgDb();
    await tool('pg_restore', ['-h', PG.host, '-U', PG.user, '-d', restored, dump]);
    const r = await withTarget(pgUrl(restored), {}, (a) => compareWithBaseline(a, baseline));
    expect(changed(r)).toEqual([]);
    expect(r.objects?.length).toBe(baseline.objects?.length);
    expect(r.match).toBe(true);
  });

  it("finds the views a DROP ... CASCADE took, a rewritten function, a new trigger and an altered sequence", async () => {
    const views = "SELECT viewname AS v FROM pg_views WHERE schemaname = 'public' UNION ALL SELECT matviewname FROM pg_matviews WHERE schemaname = 'public'";
    const before = (await pgQuery(db, views)).rows.map((r) => `public.${r.v}`);
    await psql(
      db,
      `DROP TABLE public.payment CASCADE;
       CREATE OR REPLACE FUNCTION public.last_day(timestamp with time zone) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT current_date $$;
       CREATE FUNCTION public.agent_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
       CREATE TRIGGER agent_audit_off BEFORE DELETE ON public.customer FOR EACH ROW EXECUTE FUNCTION public.agent_noop();
       ALTER SEQUENCE public.actor_actor_id_seq INCREMENT BY 5;`,
    );
    const after = new Set((await pgQuery(db, views)).rows.map((r) => `public.${r.v}`));
    const dropped = before.filter((v) => !after.has(v)).sort();
    // Pagila's payment takes three views with it: what the issue saw go unnoticed.
    expect(dropped.length).toBe(3);
    const r = await withTarget(pgUrl(db), {}, (a) => compareWithBaseline(a, baseline));
    expect(r.match).toBe(false);
    const statusOf = (name: string) => r.objects?.find((o) => o.name === name)?.status;
    expect((r.objects ?? []).filter((o) => o.kind.endsWith('view') && o.status === 'missing').map((o) => o.name).sort()).toEqual(dropped);
    expect(statusOf('public.last_day(timestamp with time zone)')).toBe('changed');
    expect(statusOf('public.agent_noop()')).toBe('extra');
    expect(statusOf('public.customer.agent_audit_off')).toBe('extra');
    expect(statusOf('public.actor_actor_id_seq')).toBe('changed');
    expect(compareSummaryLine(r)).toMatch(
      /^7 of 21 tables differ: public\.payment_p2022_01 missing, .*; 2 views missing \(public\.sales_by_film_category, public\.sales_by_store\); 1 materialized view missing \(public\.rental_by_category\);/,
    );
    const text = formatCompare(r);
    expect(text).toMatch(/OBJECT\s+KIND\s+STATUS/);
    expect(text).toMatch(/public\.customer\.agent_audit_off\s+trigger\s+extra/);
  });
});

describe('MariaDB: views, routines, triggers and sequences', () => {
  let db = '';
  let copy = '';
  let baseline: BaselineManifest;
  const dir = tempDir('firebreak-dbrecord-myobjects-');

  beforeAll(async () => {
    db = await createMariaDb();
    await mariadbCli(
      db,
      `CREATE TABLE customer (id INT PRIMARY KEY, email TEXT);
       INSERT INTO customer VALUES (1, 'a@example.com'), (2, 'b@example.com');
       CREATE VIEW customer_emails AS SELECT id, email FROM customer WHERE email LIKE '%@%';
       CREATE SEQUENCE invoice_seq START WITH 100 INCREMENT BY 10;
       DELIMITER ;;
       CREATE TRIGGER customer_lower BEFORE INSERT ON customer FOR EACH ROW BEGIN SET NEW.email = LOWER(NEW.email); END;;
       CREATE PROCEDURE forget_customer(IN who INT) BEGIN DELETE FROM customer WHERE id = who; END;;
       CREATE FUNCTION customer_count() RETURNS INT READS SQL DATA BEGIN RETURN (SELECT COUNT(*) FROM customer); END;;
       DELIMITER ;`,
    );
  });
  afterAll(async () => {
    await dropMariaDb(db);
    if (copy) await dropMariaDb(copy);
    dir.cleanup();
  });

  it('records them, and a dump restored under another database name matches', async () => {
    baseline = await withTarget(mariaUrl(db), {}, (a) => captureBaseline(a));
    expect((baseline.objects ?? []).map((o) => [o.kind, o.name])).toEqual([
      ['view', 'customer_emails'],
      ['function', 'customer_count'],
      ['procedure', 'forget_customer'],
      ['trigger', 'customer_lower'],
      ['sequence', 'invoice_seq'],
    ]);
    const dump = join(dir.path, 'shop.sql');
    await tool('mariadb-dump', ['-h', MARIA.host, '-u', MARIA.user, '--routines', '--triggers', `--result-file=${dump}`, db]);
    copy = await createMariaDb();
    await mariadbCli(copy, readFileSync(dump));
    const r = await withTarget(mariaUrl(copy), {}, (a) => compareWithBaseline(a, baseline));
    expect(changed(r)).toEqual([]);
    expect(r.match).toBe(true);
  });

  it('a dropped view and a rewritten procedure are missing and changed', async () => {
    await mariadbCli(
      db,
      `DROP VIEW customer_emails;
       DROP PROCEDURE forget_customer;
       DELIMITER ;;
       CREATE PROCEDURE forget_customer(IN who INT) BEGIN DELETE FROM customer; END;;
       DELIMITER ;`,
    );
    const r = await withTarget(mariaUrl(db), {}, (a) => compareWithBaseline(a, baseline));
    expect(r.match).toBe(false);
    expect(changed(r)).toEqual([
      ['view', 'customer_emails', 'missing'],
      ['procedure', 'forget_customer', 'changed'],
    ]);
    expect(await mariaQuery(db, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});

describe('SQLite: views and triggers; older baselines stay readable', () => {
  const dir = tempDir('firebreak-dbrecord-liteobjects-');
  const file = join(dir.path, 'shop.db');
  afterAll(() => dir.cleanup());

  it('finds a dropped view; a baseline without objects still compares, saying what it could not', async () => {
    const db = new Database(file);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL);
             CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
             CREATE TRIGGER orders_keep BEFORE DELETE ON orders BEGIN SELECT RAISE(ABORT, 'kept'); END;`);
    db.close();
    const baseline = await withTarget(`sqlite:${file}`, {}, (a) => captureBaseline(a));
    expect(baseline.objects?.map((o) => [o.kind, o.name, o.table])).toEqual([
      ['view', 'big_orders', null],
      ['trigger', 'orders_keep', 'orders'],
    ]);
    const again = new Database(file);
    again.exec('DROP VIEW big_orders; DROP TRIGGER orders_keep');
    again.close();
    const r = await withTarget(`sqlite:${file}`, {}, (a) => compareWithBaseline(a, baseline));
    expect(r.match).toBe(false);
    expect(changed(r)).toEqual([
      ['view', 'big_orders', 'missing'],
      ['trigger', 'orders_keep', 'missing'],
    ]);
    expect(compareSummaryLine(r)).toBe('the tables match; 1 view missing (big_orders); 1 trigger missing (orders_keep)');
    // A baseline written before objects were recorded: read as before, compared on its tables, with a note.
    const { objects: _gone, ...old } = baseline;
    const parsed = parseBaselineJson(serializeManifest(old), 'old.json');
    expect(parsed.objects).toBeUndefined();
    const r2 = await withTarget(`sqlite:${file}`, {}, (a) => compareWithBaseline(a, parsed));
    expect(r2.match).toBe(true);
    expect(r2.objects).toBeUndefined();
    expect(r2.notes).toContain(
      'The baseline records no views, functions, procedures, triggers or sequences (a baseline of chosen tables, or one captured before Firebreak recorded them): those were not compared.',
    );
  });
});
