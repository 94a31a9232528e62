import { closeSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/store/database';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).sort();

describe('a damaged firebreak.db stops start-up', () => {
  const dir = tempDir('fb-rel-damaged-');
  afterAll(() => dir.cleanup());
  const dataDir = join(dir.path, 'data');
  const dbFile = join(dataDir, 'firebreak.db');
  const dd = ['--data-dir', dataDir];

  it('refuses to list or take in evidence, naming the file, and writes nothing', async () => {
    const opened = await runFirebreak([...dd, 'incident', 'new', '--playbook', 'agent-destructive-action']);
    const id = opened.stdout.trim();
    expect(id).toMatch(/^IR-/);

    // Overwrite page 3 whole, as a failing disk or a stray write would.
    const reader = new Database(dbFile, { readonly: true });
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.close();
    const fd = openSync(dbFile, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, 2 * pageSize);
    closeSync(fd);
    const damaged = readFileSync(dbFile);
    const before = filesUnder(dataDir);

    const list = await runFirebreak([...dd, 'incident', 'list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain(`${dbFile} is damaged`);
    expect(list.stderr).toContain('restore firebreak.db from a backup');
    expect(list.stdout).toBe('');

    const file = join(dir.path, 'note.txt');
    writeFileSync(file, 'taken in after the damage\n');
    const add = await runFirebreak([...dd, 'evidence', 'add', id, file]);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain(`${dbFile} is damaged`);

    expect(readFileSync(dbFile).equals(damaged)).toBe(true);
    expect(filesUnder(dataDir)).toEqual(before);
  }, 120_000);

  it("checks a large file table by table, the record's own tables first, and still finds a damaged page", () => {
    const big = join(dir.path, 'big');
    const db = openDatabase(big);
    // 80 MB of bulk rows in a table made after the record's own, as CloudTrail events are.
    db.exec('CREATE TABLE bulk_events (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO bulk_events (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 80; i++) insert.run(Buffer.alloc(1024 * 1024, i));
    })();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const incidentsRoot = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").pluck().get() as number;
    db.close();
    const file = join(big, 'firebreak.db');
    expect(statSync(file).size).toBeGreaterThan(64 * 1024 * 1024);
    openDatabase(big).close();

    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (incidentsRoot - 1) * pageSize);
    closeSync(fd);
    // Nothing at start-up reads incidents but the check: opening would succeed without it.
    expect(() => openDatabase(big)).toThrow(`${file} is damaged`);
  }, 120_000);
});
