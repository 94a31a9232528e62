import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowAdapter } from '../../../electron/core/validation/adapters/adapter';
import { withTarget } from '../../../electron/core/validation/adapters/connect';
import { diffDatabases } from '../../../electron/core/validation/diff/row-diff';
import type { RowDiffProgress } from '../../../electron/shared/row-diff';
import { tempDir } from '../../helpers/temp';

/** The diff engine in process on real SQLite files: progress as it goes, and a cancel that leaves no partial key list. */

const ROWS = 20_000;
const now = () => '2026-01-01T00:00:00.000Z';

describe('row diff on SQLite', () => {
  const dir = tempDir('firebreak-rowdiff-');
  const ref = join(dir.path, 'ref.db');
  const act = join(dir.path, 'act.db');

  beforeAll(() => {
    for (const [file, damaged] of [[ref, false], [act, true]] as const) {
      const db = new Database(file);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, amount NUMERIC(10,2))');
      const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
      db.transaction(() => {
        for (let i = 1; i <= ROWS; i++) if (!damaged || i % 2 === 0) insert.run(i, `value ${i}`, i / 100);
      })();
      db.close();
    }
  });
  afterAll(() => dir.cleanup());

  it('reports progress table by table and step by step', async () => {
    const seen: RowDiffProgress[] = [];
    const r = await withTarget(`sqlite:${ref}`, {}, (a) =>
      withTarget(`sqlite:${act}`, {}, (b) => diffDatabases(rowAdapter(a, 'diff'), rowAdapter(b, 'diff'), { tables: [], keysOut: null, now, onProgress: (p) => seen.push(p) })),
    );
    expect(r.tables[0]).toMatchObject({ table: 't', missing: ROWS / 2, extra: 0, changed: 0 });
    expect(seen.map((p) => p.step).filter((s, i, all) => s && all.indexOf(s) === i)).toEqual(['counting', 'summing', 'drilling']);
    expect(seen.at(-1)).toMatchObject({ phase: 'finished', tablesDone: 1, tablesTotal: 1 });
  }, 60_000);

  it('stops when cancelled while drilling and leaves no partial key list behind', async () => {
    const keys = join(dir.path, 'keys');
    const controller = new AbortController();
    const run = withTarget(`sqlite:${ref}`, {}, (a) =>
      withTarget(`sqlite:${act}`, {}, (b) =>
        diffDatabases(rowAdapter(a, 'diff'), rowAdapter(b, 'diff'), {
          tables: [],
          keysOut: keys,
          now,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.step === 'drilling') controller.abort();
          },
        }),
      ),
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(keys) ? readdirSync(keys) : []).toEqual([]);
  }, 60_000);
});
