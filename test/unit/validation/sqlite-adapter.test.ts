import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTarget, withTarget } from '../../../electron/core/validation/adapters/connect';
import { captureBaseline } from '../../../electron/core/validation/baseline/baseline';
import { compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { checkDatabase } from '../../../electron/core/validation/checks/database-check';
import { tempDir } from '../../helpers/temp';
import { DOC_EXAMPLE } from './doc-example';

const CHINOOK = '/work/shared/reference/db/chinook/Chinook_Sqlite.sqlite';
const ROWCOUNTS = '/work/shared/reference/db/ROWCOUNTS.csv';
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let dir: { path: string; cleanup(): void };
beforeEach(() => {
  dir = tempDir('firebreak-validation-');
});
afterEach(() => dir.cleanup());

describe('SQLite targets', () => {
  it('captures Chinook read-only with the row counts of ROWCOUNTS.csv, leaving the file untouched', async () => {
    const expected = Object.fromEntries(
      readFileSync(ROWCOUNTS, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('chinook/Chinook_Sqlite.sqlite,'))
        .map((l) => l.split(','))
        .map(([, table, rows]) => [table, Number(rows)]),
    );
    const before = { sha: sha(CHINOOK), mtime: statSync(CHINOOK).mtimeMs };
    // The reference file lives in a read-only directory: proof that nothing needs to be written.
    const m = await withTarget(`sqlite:${CHINOOK}`, {}, (a) => captureBaseline(a));
    expect(Object.fromEntries(m.tables.map((t) => [t.table, t.rows]))).toEqual(expected);
    expect(m.tables.every((t) => /^[0-9a-f]{16}$/.test(t.checksum ?? '') && t.schemaFingerprint?.length === 64)).toBe(true);
    const track = m.tables.find((t) => t.table === 'Track');
    expect(track?.definition?.primaryKey).toEqual(['TrackId']);
    expect(track?.definition?.foreignKeys.map((f) => f.references).sort()).toEqual(['Album', 'Genre', 'MediaType']);
    const again = await withTarget(`sqlite:${CHINOOK}`, {}, (a) => compareWithBaseline(a, m));
    expect(again.match).toBe(true);
    expect({ sha: sha(CHINOOK), mtime: statSync(CHINOOK).mtimeMs }).toEqual(before);
  });

  it('finds deleted rows, a changed value with the same count, a dropped and an extra table', async () => {
    const path = join(dir.path, 'chinook.db');
    writeFileSync(path, readFileSync(CHINOOK));
    const m = await withTarget(`sqlite:${path}`, {}, (a) => captureBaseline(a));
    const db = new Database(path);
    db.pragma('foreign_keys = OFF');
    db.exec(`DELETE FROM PlaylistTrack WHERE PlaylistId = 1;
             UPDATE Artist SET Name = 'AC/DC ' WHERE ArtistId = 1;
             DROP TABLE MediaType; CREATE TABLE "Agent Notes" (x TEXT)`);
    const removed = 8715 - (db.prepare('SELECT count(*) AS n FROM PlaylistTrack').get() as { n: number }).n;
    db.close();
    const r = await withTarget(`sqlite:${path}`, {}, (a) => compareWithBaseline(a, m));
    const by = Object.fromEntries(r.tables.map((t) => [t.table, t]));
    expect(r.match).toBe(false);
    expect(by.PlaylistTrack).toMatchObject({ status: 'count-mismatch', delta: -removed });
    expect(by.Artist).toMatchObject({ status: 'checksum-mismatch', baselineRows: 275, actualRows: 275 });
    expect(by.MediaType).toMatchObject({ status: 'missing' });
    expect(by['Agent Notes']).toMatchObject({ status: 'extra', actualRows: 0 });
    expect(by.Album).toMatchObject({ status: 'match' });
  });

  it('quotes table and column names with quotes, spaces, Unicode and reserved words', async () => {
    const path = join(dir.path, 'odd.db');
    const db = new Database(path);
    const names = ['we"ird', 'with space', 'ünïcödé 表', 'select', 'order', "it's"];
    for (const n of names) {
      const q = `"${n.replace(/"/g, '""')}"`;
      db.exec(`CREATE TABLE ${q} ("from" INTEGER, "a""b" TEXT, "ä ö" REAL)`);
      db.prepare(`INSERT INTO ${q} VALUES (?, ?, ?)`).run(1, n, 1.5);
    }
    db.close();
    const m = await withTarget(`sqlite:${path}`, {}, (a) => captureBaseline(a, { tables: ['select', 'we"ird'] }));
    expect(m.tables.map((t) => [t.table, t.rows, t.error])).toEqual([
      ['select', 1, undefined],
      ['we"ird', 1, undefined],
    ]);
    const all = await withTarget(`sqlite:${path}`, {}, (a) => captureBaseline(a));
    expect(all.tables.map((t) => t.table).sort()).toEqual([...names].sort());
    expect(all.tables.every((t) => t.rows === 1 && t.error === undefined)).toBe(true);
    expect((await withTarget(`sqlite:${path}`, {}, (a) => compareWithBaseline(a, all))).match).toBe(true);
  });

  it('gives the documented checksum for the worked example', async () => {
    const path = join(dir.path, 'doc.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE example (id INTEGER, name TEXT, price DECIMAL(10,2), active BOOLEAN, note TEXT);
             INSERT INTO example VALUES (1, 'héllo', 1.50, 1, NULL), (2, 'wörld', 0.99, 0, '')`);
    db.close();
    const m = await withTarget(`sqlite:${path}`, {}, (a) => captureBaseline(a));
    expect(m.tables[0]?.checksum).toBe(DOC_EXAMPLE.checksum);
  });

  it('reports progress while scanning and stops when cancelled', async () => {
    const path = join(dir.path, 'big.db');
    const db = new Database(path);
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)');
    db.prepare("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 60000) INSERT INTO big SELECT i, 'row ' || i FROM s").run();
    db.close();
    const controller = new AbortController();
    const rowsSeen: number[] = [];
    const adapter = await openTarget(`sqlite:${path}`);
    try {
      const run = captureBaseline(adapter, {
        signal: controller.signal,
        onProgress: (p) => {
          const rows = p.tables[0]?.rows;
          if (p.tables[0]?.state === 'running' && rows) {
            rowsSeen.push(rows);
            if (rows >= 20000) controller.abort();
          }
        },
      });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
      expect(rowsSeen.slice(0, 2)).toEqual([5000, 10000]);
      expect(Math.max(...rowsSeen)).toBeLessThan(60000);
    } finally {
      await adapter.close();
    }
  });

  it('says clearly when the file is missing, empty or not SQLite', async () => {
    await expect(openTarget(`sqlite:${join(dir.path, 'nope.db')}`)).rejects.toThrow(/nope\.db does not exist/);
    writeFileSync(join(dir.path, 'empty.db'), '');
    await expect(openTarget(`sqlite:${join(dir.path, 'empty.db')}`)).rejects.toThrow(/is empty/);
    writeFileSync(join(dir.path, 'text.db'), 'CREATE TABLE x;');
    await expect(openTarget(`sqlite:${join(dir.path, 'text.db')}`)).rejects.toThrow(/is not an SQLite database/);
    await expect(openTarget(`sqlite:${dir.path}`)).rejects.toThrow(/is not a regular file/);
  });

  it('runs PRAGMA integrity_check', async () => {
    const r = await withTarget(`sqlite:${CHINOOK}`, {}, (a) => checkDatabase(a));
    expect(r).toMatchObject({ ok: true, method: 'sqlite-integrity-check', messages: ['ok'] });
  });
});
