import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CoreContext, createContext } from '../../electron/core/context';
import type { Actor } from '../../electron/core/ledger/ledger';
import { DATABASE_FILE, type Db, openDatabase } from '../../electron/core/store/database';
import { tempDir } from '../helpers/temp';

const alice: Actor = { name: 'Alice', role: 'IR lead', initiator: 'human' };
const SCOPE = 'system';

/** ctx.change is the one write path: the change and its ledger entry commit together or not at all. */
describe('ctx.change', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let ctx: CoreContext;
  // A second connection sees only what was committed.
  let other: Database.Database;

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(dir.path);
    ctx = createContext({
      db,
      dataDir: dir.path,
      resourcesDir: dir.path,
      mode: 'cli',
      version: 'test',
      playbooks: { list: () => [], get: () => undefined } as unknown as CoreContext['playbooks'],
    });
    other = new Database(join(dir.path, DATABASE_FILE), { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
    dir.cleanup();
  });

  const put = (key: string, value: string) => db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(key, value);
  const committedSetting = (key: string) => (other.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const committedEntries = () => other.prepare('SELECT seq, action FROM ledger_entries WHERE scope = ? ORDER BY seq').all(SCOPE);
  const committedHead = () => other.prepare('SELECT seq FROM ledger_heads WHERE scope = ?').get(SCOPE);

  it('appends a fixed entry first, hands it to fn, and commits both together', () => {
    const seen: unknown[] = [];
    const out = ctx.change(alice, { scope: SCOPE, action: 'test.changed', subject: 'k' }, (entry) => {
      put('k', `entry ${entry.seq}`);
      // Inside the transaction nothing is visible to anyone else yet.
      seen.push(committedSetting('k'), committedEntries().length);
      return entry.action;
    });
    expect(out).toBe('test.changed');
    expect(seen).toEqual([undefined, 0]);
    expect(committedSetting('k')).toBe('entry 1');
    expect(committedEntries()).toEqual([{ seq: 1, action: 'test.changed' }]);
    expect(ctx.ledger.verify(SCOPE).ok).toBe(true);
  });

  it('computes the entries from fn’s result: one, several in order, or none', () => {
    ctx.change(alice, (n: number) => ({ scope: SCOPE, action: 'test.one', subject: String(n) }), () => put('a', '1').changes);
    ctx.change(
      alice,
      (keys: string[]) => keys.map((k) => ({ scope: SCOPE, action: `test.${k}`, subject: k })),
      () => ['b', 'c'].map((k) => (put(k, k), k)),
    );
    const nothing = ctx.change(alice, () => null, () => 'unchanged');
    expect(nothing).toBe('unchanged');
    expect(committedEntries()).toEqual([
      { seq: 1, action: 'test.one' },
      { seq: 2, action: 'test.b' },
      { seq: 3, action: 'test.c' },
    ]);
    expect(ctx.ledger.entries(SCOPE).map((e) => e.subject)).toEqual(['1', 'b', 'c']);
  });

  it('leaves neither the change nor the entry when fn throws', () => {
    expect(() =>
      ctx.change(alice, { scope: SCOPE, action: 'test.changed', subject: 'k' }, () => {
        put('k', 'half done');
        throw new Error('the disk is full');
      }),
    ).toThrow('the disk is full');
    expect(() =>
      ctx.change(alice, () => ({ scope: SCOPE, action: 'test.changed', subject: 'k' }), () => {
        put('k', 'half done');
        throw new Error('the disk is full');
      }),
    ).toThrow('the disk is full');
    expect(committedSetting('k')).toBeUndefined();
    expect(committedEntries()).toEqual([]);
    expect(committedHead()).toBeUndefined();
    expect(ctx.ledger.entries(SCOPE)).toEqual([]);
  });

  it('leaves nothing when the entry cannot be computed from the result', () => {
    expect(() =>
      ctx.change(
        alice,
        () => {
          throw new Error('no entry');
        },
        () => put('k', 'written'),
      ),
    ).toThrow('no entry');
    expect(committedSetting('k')).toBeUndefined();
    expect(committedEntries()).toEqual([]);
  });

  it('nests: an inner change inside an outer one commits only with it', () => {
    expect(() =>
      ctx.change(alice, { scope: SCOPE, action: 'test.outer', subject: 'o' }, () => {
        ctx.change(alice, { scope: SCOPE, action: 'test.inner', subject: 'i' }, () => put('inner', 'x'));
        throw new Error('outer failed');
      }),
    ).toThrow('outer failed');
    expect(committedSetting('inner')).toBeUndefined();
    expect(committedEntries()).toEqual([]);
  });
});
