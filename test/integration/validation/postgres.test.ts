import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget, withTarget } from '../../../electron/core/validation/adapters/connect';
import { clientConfig } from '../../../electron/core/validation/adapters/postgres-adapter';
import { type ServerTarget, parseTargetUrl } from '../../../electron/core/validation/adapters/target-url';
import { captureBaseline } from '../../../electron/core/validation/baseline/baseline';
import { compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { parseBaselineCsv } from '../../../electron/core/validation/baseline/manifest';
import { checkBackupFile } from '../../../electron/core/validation/checks/backup-check';
import { checkDatabase } from '../../../electron/core/validation/checks/database-check';
import type { BaselineManifest } from '../../../electron/shared/validation';
import { tempDir } from '../../helpers/temp';
import { PG, createPagilaDb, createPgDb, dropPgDb, pgQuery, pgUrl, psql, rowcountsCsv, silentServer, tool } from './servers';

const byTable = (r: { tables: Array<{ table: string }> }) => Object.fromEntries(r.tables.map((t) => [t.table, t])) as Record<string, never>;

describe('PostgreSQL: Pagila, damaged and restored from a pg_dump backup', () => {
  let db = '';
  let restored = '';
  const dir = tempDir('firebreak-pg-');
  let baseline: BaselineManifest;
  const dump = join(dir.path, 'pagila.dump');

  beforeAll(async () => {
    db = await createPagilaDb();
  });
  afterAll(async () => {
    await dropPgDb(db);
    if (restored) await dropPgDb(restored);
    dir.cleanup();
  });

  it('captures every table with the row counts of ROWCOUNTS.csv', async () => {
    baseline = await withTarget(pgUrl(db), {}, (a) => captureBaseline(a));
    const expected = parseBaselineCsv(rowcountsCsv('pagila/pagila-data.sql'), 'ROWCOUNTS.csv');
    expect(baseline.tables.map((t) => [t.table, t.rows])).toEqual(
      expected.tables.map((t) => [t.table, t.rows]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(baseline).toMatchObject({ engine: 'postgresql', database: db, target: pgUrl(db) });
    expect(baseline.tables.every((t) => t.checksum && t.error === undefined)).toBe(true);
    const film = baseline.tables.find((t) => t.table === 'public.film');
    // release_year is a domain over integer, rating an enum, special_features an array, fulltext a tsvector.
    expect(film?.definition?.columns.map((c) => c.type)).toContain('mpaa_rating');
    expect(film?.definition?.primaryKey).toEqual(['film_id']);
    // The same counts, imported from the reference CSV, agree too.
    const counts = await withTarget(pgUrl(db), {}, (a) => compareWithBaseline(a, expected));
    expect(counts.match).toBe(true);
  });

  it('checks the pg_dump custom-format backup: SHA-256, pg_restore --list object counts, read-through', async () => {
    await tool('pg_dump', ['-h', PG.host, '-U', PG.user, '-Fc', '-f', dump, db]);
    const { stdout } = await tool('sha256sum', [dump]);
    const recorded = stdout.split(' ')[0] ?? '';
    const check = await checkBackupFile(dump, { expectedSha256: recorded });
    expect(check).toMatchObject({ ok: true, format: 'pg-custom', sha256: recorded, sha256Match: true });
    expect(check.pgRestore).toMatchObject({ available: true, ok: true, readThrough: true, database: db });
    expect(check.pgRestore?.objects['TABLE DATA']).toBe(21);
    expect(check.pgRestore?.objects.TABLE).toBe(22);
    expect(check.pgRestore?.tocEntries).toBeGreaterThan(check.pgRestore?.listedEntries ?? 0);

    const truncated = join(dir.path, 'truncated.dump');
    const bytes = readFileSync(dump);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const bad = await checkBackupFile(truncated, { expectedSha256: recorded });
    expect(bad.ok).toBe(false);
    expect(bad.sha256Match).toBe(false);
    expect(bad.pgRestore?.readThrough).toBe(false);
    expect(bad.problems.join(' ')).toMatch(/could not read the whole archive/);
  });

  it("finds the agent's damage, then a match once restored from the backup", async () => {
    await pgQuery(db, `DELETE FROM public.payment WHERE payment_date < '2022-02-01'`);
    await pgQuery(db, `UPDATE public.film SET title = 'ACADEMY DINOSAUR 2' WHERE film_id = 1`);
    const damaged = await withTarget(pgUrl(db), {}, (a) => compareWithBaseline(a, baseline));
    expect(damaged.match).toBe(false);
    const t = byTable(damaged) as Record<string, { status: string; delta: number | null }>;
    expect(t['public.payment_p2022_01']).toMatchObject({ status: 'count-mismatch', delta: -723 });
    expect(t['public.film']).toMatchObject({ status: 'checksum-mismatch', delta: 0 });
    expect(damaged.tables.filter((x) => x.status !== 'match')).toHaveLength(2);

    restored = `${db}_restored`;
    await pgQuery('test', `CREATE DATABASE ${restored}`);
    await tool('pg_restore', ['-h', PG.host, '-U', PG.user, '-d', restored, '--exit-on-error', dump]);
    const healed = await withTarget(pgUrl(restored), {}, (a) => compareWithBaseline(a, baseline));
    expect(healed.tables.filter((x) => x.status !== 'match')).toEqual([]);
    expect(healed.match).toBe(true);
  });
});

describe('PostgreSQL: statuses, identifiers, permissions and bad input', () => {
  let db = '';
  const role = `fb_reader_${process.pid}`;
  beforeAll(async () => {
    db = await createPgDb();
    await psql(
      db,
      `CREATE SCHEMA "Sales Ops";
       CREATE TABLE "Sales Ops"."we""ird" ("from" int PRIMARY KEY, "a b" text, "ünï" numeric(8,3));
       CREATE TABLE public."with space" (id int, v text);
       CREATE TABLE public."ünïcödé 表" (id int, v text);
       CREATE TABLE public."select" (id int, "order" text);
       CREATE TABLE public."Order" (id int);
       CREATE TABLE public.keep (id int PRIMARY KEY, name text, amount numeric(10,2));
       CREATE TABLE public.doomed (id int);
       CREATE TABLE public.secret (id int);
       INSERT INTO "Sales Ops"."we""ird" VALUES (1, 'x', 1.5), (2, NULL, NULL);
       INSERT INTO public."with space" VALUES (1, 'a');
       INSERT INTO public."ünïcödé 表" VALUES (1, '表');
       INSERT INTO public."select" VALUES (1, 'o');
       INSERT INTO public.keep SELECT g, 'name ' || g, g * 1.25 FROM generate_series(1, 500) g;
       INSERT INTO public.doomed VALUES (1), (2);
       INSERT INTO public.secret VALUES (42);
       DROP ROLE IF EXISTS ${role};
       CREATE ROLE ${role} LOGIN;
       GRANT USAGE ON SCHEMA "Sales Ops" TO ${role};
       GRANT SELECT ON ALL TABLES IN SCHEMA public, "Sales Ops" TO ${role};
       REVOKE SELECT ON public.secret FROM ${role};`,
    );
  });
  afterAll(async () => {
    await dropPgDb(db);
    await pgQuery('test', `DROP ROLE IF EXISTS ${role}`);
  });

  it('quotes quotes, spaces, Unicode and reserved words, and finds a changed value, a drop, an extra table, drift', async () => {
    const before = await withTarget(pgUrl(db), {}, (a) => captureBaseline(a));
    expect(before.tables.map((t) => t.table)).toEqual([
      'Sales Ops.we"ird',
      'public.Order',
      'public.doomed',
      'public.keep',
      'public.secret',
      'public.select',
      'public.with space',
      'public.ünïcödé 表',
    ]);
    expect(before.tables.every((t) => t.error === undefined)).toBe(true);
    await psql(
      db,
      `UPDATE public.keep SET name = 'NAME 7' WHERE id = 7;
       DROP TABLE public.doomed;
       CREATE TABLE public.agent_scratch (x int);
       ALTER TABLE public."with space" ALTER COLUMN id TYPE bigint;`,
    );
    const r = await withTarget(pgUrl(db), {}, (a) => compareWithBaseline(a, before));
    const t = byTable(r) as Record<string, { status: string; schemaDrift: string[] }>;
    expect(t['public.keep']?.status).toBe('checksum-mismatch');
    expect(t['public.doomed']?.status).toBe('missing');
    expect(t['public.agent_scratch']?.status).toBe('extra');
    // int -> bigint keeps every value's canonical text: same checksum, but the schema drifted.
    expect(t['public.with space']).toMatchObject({ status: 'schema-drift', schemaDrift: ['column id: type integer -> bigint'] });
    expect(t['Sales Ops.we"ird']?.status).toBe('match');
    expect(r.summary).toMatchObject({ match: 5, checksumMismatch: 1, missing: 1, extra: 1, schemaDrift: 1 });
  });

  it('chooses tables by schema.table or bare name, and schemas', async () => {
    const m = await withTarget(pgUrl(db), {}, (a) => captureBaseline(a, { tables: ['Sales Ops.we"ird', 'select'] }));
    expect(m.tables.map((t) => [t.table, t.rows])).toEqual([
      ['Sales Ops.we"ird', 2],
      ['public.select', 1],
    ]);
    const s = await withTarget(pgUrl(db), {}, (a) => captureBaseline(a, { schemas: ['Sales Ops'] }));
    expect(s.tables.map((t) => t.table)).toEqual(['Sales Ops.we"ird']);
  });

  it('reports a table this user may not read and goes on with the others', async () => {
    const m = await withTarget(`postgres://${role}@${PG.host}:${PG.port}/${db}`, {}, (a) => captureBaseline(a));
    const secret = m.tables.find((t) => t.table === 'public.secret');
    expect(secret).toMatchObject({ rows: null, checksum: null });
    expect(secret?.error).toMatch(/Table public.secret may not be read by this user: permission denied for table secret/);
    expect(m.tables.find((t) => t.table === 'public.keep')?.rows).toBe(500);
    expect(m.tables.find((t) => t.table === 'Sales Ops.we"ird')?.rows).toBe(2);
  });

  it('runs every statement read-only', async () => {
    const c = new pg.Client(clientConfig(parseTargetUrl(pgUrl(db)) as ServerTarget));
    await c.connect();
    try {
      await expect(c.query('CREATE TABLE public.should_not_exist (x int)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await c.end();
    }
    const r = await withTarget(pgUrl(db), {}, (a) => checkDatabase(a));
    expect(r.method).toBe('postgresql-read-through');
    expect(r.ok).toBe(true);
    expect((await pgQuery(db, "SELECT to_regclass('public.should_not_exist') AS t")).rows[0]).toEqual({ t: null });
  });

  it('cancels a long scan on the server', async () => {
    await pgQuery(db, `CREATE TABLE public.big AS SELECT g AS id, md5(g::text) AS v, g * 0.5 AS f FROM generate_series(1, 1000000) g`);
    try {
      const adapter = await openTarget(pgUrl(db));
      const controller = new AbortController();
      const started = Date.now();
      try {
        const run = adapter.measure({ schema: 'public', name: 'big', display: 'public.big' }, { checksum: true, signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        await expect(run).rejects.toMatchObject({ code: 'cancelled' });
        expect(Date.now() - started).toBeLessThan(1500);
        // The snapshot survives: the next table can still be read in the same transaction.
        expect((await adapter.measure({ schema: 'public', name: 'select', display: 'public.select' }, { checksum: true })).rows).toBe(1);
      } finally {
        await adapter.close();
      }
    } finally {
      await pgQuery(db, 'DROP TABLE public.big');
    }
  });

  it('gives clear errors for a refused port, a silent host, a missing database and TLS the server lacks', async () => {
    await expect(openTarget('postgres://postgres@127.0.0.1:1/x')).rejects.toThrow(/nothing is listening at 127.0.0.1:1 \(connection refused\)/);
    // A host that accepts the connection and then says nothing, as a stalled server or a middlebox does.
    const silent = await silentServer();
    try {
      const started = Date.now();
      await expect(openTarget(`postgres://postgres:hunter2@127.0.0.1:${silent.port}/x?connect_timeout=1`)).rejects.toThrow(
        new RegExp(`^postgres://postgres@127.0.0.1:${silent.port}/x\\?connect_timeout=1: no answer from 127.0.0.1:${silent.port} within 1 s`),
      );
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
    await expect(openTarget(pgUrl('no_such_db_fb'))).rejects.toThrow(/there is no database "no_such_db_fb"/);
    await expect(openTarget(pgUrl(db, '?sslmode=require'))).rejects.toThrow(/TLS was required but the server at 127.0.0.1:5432 does not offer it/);
    await expect(withTarget(pgUrl(db), {}, (a) => captureBaseline(a, { tables: ['nope'] }))).rejects.toThrow(/has no table "nope"/);
  });
});
