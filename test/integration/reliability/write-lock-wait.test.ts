import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const STEP = 'inventory-production-agents';

describe('a writer while another process holds the write lock', () => {
  const dir = tempDir('fb-rel-lock-wait-');
  const dataDir = join(dir.path, 'data');
  const dd = ['--data-dir', dataDir];
  let id = '';
  beforeAll(async () => {
    id = (await runFirebreak([...dd, 'incident', 'new', '--playbook', 'agent-destructive-action'])).stdout.trim();
  });
  afterAll(() => dir.cleanup());

  /** Another process's write transaction (as an evidence commit or an analysis batch holds it), for `ms`. */
  const holdWriteLock = (ms: number) => {
    const other = new Database(join(dataDir, 'firebreak.db'));
    other.exec('BEGIN IMMEDIATE');
    return new Promise<void>((done) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        done();
      }, ms),
    );
  };

  it('waits its turn and succeeds once the lock is released', async () => {
    const released = holdWriteLock(3000);
    const note = await runFirebreak([...dd, 'step', id, STEP, '--note', 'written while another process held the lock']);
    await released;
    expect(note.stderr).toBe('');
    expect(note.code).toBe(0);
    expect((await runFirebreak([...dd, 'audit', 'verify', id])).code).toBe(0);
  }, 60_000);

  it('after 30 s of waiting, says so in one line and changes nothing', async () => {
    const before = (await runFirebreak([...dd, 'incident', 'show', id, '--json'])).stdout;
    const released = holdWriteLock(36_000);
    const note = await runFirebreak([...dd, 'step', id, STEP, '--done']);
    await released;
    expect(note.code).toBe(2);
    expect(note.stderr.trim()).toBe(
      'firebreak: Another Firebreak process (the app or a command) held the database for over 30 s, so workflow.setStep changed nothing. Try again when that work has finished.',
    );
    expect((await runFirebreak([...dd, 'incident', 'show', id, '--json'])).stdout).toBe(before);
  }, 90_000);
});
