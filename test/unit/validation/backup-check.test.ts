import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBackupCheck } from '../../../electron/cli/format/validation';
import { checkBackupFile, objectType } from '../../../electron/core/validation/checks/backup-check';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; cleanup(): void };
beforeEach(() => {
  dir = tempDir('firebreak-backup-');
});
afterEach(() => dir.cleanup());

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('checkBackupFile', () => {
  it('compares the SHA-256 with the recorded value, in either case', async () => {
    const path = join(dir.path, 'dump.sql');
    writeFileSync(path, '--\n-- PostgreSQL database dump\n--\nCREATE TABLE t (id int);\n-- PostgreSQL database dump complete\n');
    const good = await checkBackupFile(path, { expectedSha256: sha(readFileSync(path)).toUpperCase() });
    expect(good).toMatchObject({ ok: true, sha256Match: true, format: 'sql-text', bytes: 96, problems: [] });
    const bad = await checkBackupFile(path, { expectedSha256: 'a'.repeat(64) });
    expect(bad).toMatchObject({ ok: false, sha256Match: false });
    expect(bad.problems[0]).toMatch(/SHA-256 differs from the recorded value: expected a{64}, got [0-9a-f]{64}/);
    expect(formatBackupCheck(bad)).toMatch(/DIFFERS/);
    expect(await checkBackupFile(path)).toMatchObject({ ok: true, sha256Match: null, expectedSha256: null });
  });

  it('runs PRAGMA integrity_check on an SQLite backup and finds a damaged one', async () => {
    const path = join(dir.path, 'app.db');
    const db = new Database(path);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v)");
    db.prepare("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO t SELECT i, hex(randomblob(20)) FROM s").run();
    db.close();
    expect(await checkBackupFile(path)).toMatchObject({ ok: true, format: 'sqlite', sqliteIntegrity: { ok: true, messages: ['ok'] } });
    const bytes = readFileSync(path);
    // Overwrite the middle of the file (table and index pages) with garbage.
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192);
    writeFileSync(path, bytes);
    const damaged = await checkBackupFile(path);
    expect(damaged.ok).toBe(false);
    expect(damaged.sqliteIntegrity?.ok).toBe(false);
    expect(damaged.problems[0]).toMatch(/integrity_check found problems/);
  });

  it('reads gzip-compressed SQL through, and calls random bytes or unknown content a problem, not OK', async () => {
    writeFileSync(join(dir.path, 'd.sql.gz'), gzipSync('-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\nSELECT 1;\n-- Dump completed on 2026-12-01 10:00:00\n'));
    expect(await checkBackupFile(join(dir.path, 'd.sql.gz'))).toMatchObject({
      format: 'gzip',
      ok: true,
      pgRestore: null,
      sqliteIntegrity: null,
      sqlDump: { tool: 'mysqldump', toolVersion: '10.13 Distrib 8.0.36', compressed: true, trailer: true, balanced: true, statements: 1 },
    });
    writeFileSync(join(dir.path, 'blob.bin'), Buffer.from([0, 1, 2, 3]));
    const blob = await checkBackupFile(join(dir.path, 'blob.bin'));
    expect(blob).toMatchObject({ format: 'unknown', ok: false, sqlDump: null });
    expect(blob.problems[0]).toMatch(/not a backup format Firebreak can check .* only its SHA-256 was computed/);
    // Random bytes are never taken for SQL text, whatever words they happen to spell.
    for (let i = 0; i < 20; i += 1) {
      writeFileSync(join(dir.path, 'random.bin'), randomBytes(4096));
      expect(await checkBackupFile(join(dir.path, 'random.bin'))).toMatchObject({ format: 'unknown', ok: false });
    }
    writeFileSync(join(dir.path, 'tar.gz'), gzipSync(randomBytes(2048)));
    expect((await checkBackupFile(join(dir.path, 'tar.gz'))).problems).toEqual([expect.stringMatching(/gzip file does not hold SQL text/)]);
  });

  it('reports a missing pg_restore and checks the hash alone', async () => {
    const path = join(dir.path, 'db.dump');
    writeFileSync(path, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)]));
    const r = await checkBackupFile(path, { pgRestore: join(dir.path, 'no-such-pg_restore') });
    expect(r).toMatchObject({ format: 'pg-custom', ok: true, pgRestore: { available: false } });
    expect(r.pgRestore?.message).toMatch(/is not installed: only the SHA-256 was checked/);
  });

  it('refuses a bad expected hash, a missing file and a directory', async () => {
    await expect(checkBackupFile(join(dir.path, 'x'), { expectedSha256: 'abc' })).rejects.toThrow(/"abc" is not 64 hex digits/);
    await expect(checkBackupFile(join(dir.path, 'missing.dump'))).rejects.toThrow(/missing\.dump does not exist/);
    await expect(checkBackupFile(dir.path)).rejects.toThrow(/is not a file/);
  });

  it('stops hashing when cancelled', async () => {
    const path = join(dir.path, 'big.bin');
    writeFileSync(path, Buffer.alloc(8 * 1024 * 1024));
    const controller = new AbortController();
    controller.abort();
    await expect(checkBackupFile(path, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('pg_restore listing', () => {
  it('names object types by the longest match', () => {
    expect(objectType('TABLE DATA public actor postgres')).toBe('TABLE DATA');
    expect(objectType('TABLE public actor postgres')).toBe('TABLE');
    expect(objectType('FK CONSTRAINT public rental rental_fk postgres')).toBe('FK CONSTRAINT');
    expect(objectType('SEQUENCE SET public s postgres')).toBe('SEQUENCE SET');
    expect(objectType('MATERIALIZED VIEW DATA public mv postgres')).toBe('MATERIALIZED VIEW DATA');
    expect(objectType('WIDGET public w postgres')).toBe('WIDGET');
  });
});
