import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../electron/core/store/database';
import { type Migration, migrationChecksum } from '../../electron/core/store/migration';
import { migrations } from '../../electron/core/store/migrations/index';
import { tempDir } from '../helpers/temp';

describe('store', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());
  const dbFile = () => join(dir.path, DATABASE_FILE);

  it('creates a WAL database with foreign keys and records every migration with its checksum', () => {
    const db = openDatabase(dir.path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const rows = db.prepare('SELECT id, checksum FROM schema_migrations ORDER BY id').all() as { id: number; checksum: string }[];
    expect(rows).toEqual(migrations.map((m) => ({ id: m.id, checksum: migrationChecksum(m) })));
    db.close();
    // Reopening applies nothing twice.
    openDatabase(dir.path).close();
  });

  it('migration ids are unique and ascending', () => {
    const ids = migrations.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stops when an applied migration was edited, naming it, and changes nothing', () => {
    openDatabase(dir.path).close();
    const before = readFileSync(dbFile());
    const edited: Migration[] = migrations.map((m) => (m.id === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => openDatabase(dir.path, { migrations: edited })).toThrow(/Migration 1 \(initial\) has been edited/);
    expect(readFileSync(dbFile()).equals(before)).toBe(true);
  });

  it('stops when the database has a migration this build does not know', () => {
    const newer: Migration[] = [...migrations, { id: 999, name: 'from-the-future', sql: 'CREATE TABLE future (x);' }];
    openDatabase(dir.path, { migrations: newer }).close();
    expect(() => openDatabase(dir.path)).toThrow(/newer Firebreak: migration 999 \(from-the-future\) is unknown/);
  });

  it('runs pending migrations in one transaction: a failing one leaves nothing half-applied', () => {
    const broken: Migration[] = [...migrations, { id: 900, name: 'ok', sql: 'CREATE TABLE a (x);' }, { id: 901, name: 'bad', sql: 'CREATE TABLE (' }];
    expect(() => openDatabase(dir.path, { migrations: broken })).toThrow();
    const db = new Database(dbFile(), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it byte for byte', () => {
    writeFileSync(dbFile(), 'these are my notes, not a database\n');
    expect(() => openDatabase(dir.path)).toThrow(/is not a Firebreak database \(it is not an SQLite file\)/);
    expect(readFileSync(dbFile(), 'utf8')).toBe('these are my notes, not a database\n');
  });

  it('refuses a foreign SQLite database and leaves it unchanged', () => {
    const foreign = new Database(dbFile());
    foreign.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x');");
    foreign.close();
    const before = readFileSync(dbFile());
    expect(() => openDatabase(dir.path)).toThrow(/an SQLite database that Firebreak did not create/);
    expect(readFileSync(dbFile()).equals(before)).toBe(true);
  });

  it('refuses a damaged database and does not recreate it', () => {
    openDatabase(dir.path).close();
    const bytes = readFileSync(dbFile());
    // Keep the 100-byte header, wreck the pages after it.
    const wrecked = Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(bytes.length - 100, 0xa5)]);
    writeFileSync(dbFile(), wrecked);
    expect(() => openDatabase(dir.path)).toThrow(/damaged|malformed|not a database/);
    expect(readFileSync(dbFile()).equals(wrecked)).toBe(true);
  });

  it('refuses a data directory that is a file or lies under one', () => {
    const file = join(dir.path, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => openDatabase(file)).toThrow(/data directory .*plain-file is not a directory/);
    expect(() => openDatabase(join(file, 'sub'))).toThrow(/is not a directory \(a file is in the way\)/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});
