// Issue 23 item 7: a file that another process truncates, rewrites or replaces while it is taken in is refused with
// what changed, and nothing of it is kept. The change is made by a real second process (truncate, dd, mv), started
// from the intake's own progress report so it lands mid-copy every time.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeFile, intakeFiles } from '../../../electron/core/evidence/intake';
import { DIRECT_MIN } from '../../../electron/core/evidence/sink';
import { objectsDir } from '../../../electron/core/evidence/store';
import { ACTOR, type Fixture, makeFixture, rejection } from '../../unit/evidence/fixtures';

const MiB = 1024 * 1024;
let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

/** Runs a command as its own process, to completion, while the intake waits in its progress report. */
function meanwhile(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
}

/** Calls `change` once, at the first progress report after `after` bytes were copied. */
function changeAfter(after: number, change: () => void): (done: number) => void {
  let changed = false;
  return (done) => {
    if (changed || done < after) return;
    changed = true;
    change();
  };
}

/** Nothing kept: no stored object or temporary file, no item, no ledger entry beyond those before. */
function expectNothingKept(entriesBefore: number): void {
  expect(readdirSync(objectsDir(f.dataDir))).toEqual([]);
  expect(f.db.prepare('SELECT count(*) AS n FROM evidence_items').get()).toEqual({ n: 0 });
  expect(f.ctx.ledger.entries(f.incidentId)).toHaveLength(entriesBefore);
}

describe('a file that changes while it is taken in', () => {
  it('is refused when another process truncates it mid-copy, and nothing is kept', async () => {
    const path = join(f.root, 'orders-dump.sql');
    // Large enough for the direct-I/O path and many progress reports.
    writeFileSync(path, randomBytes(DIRECT_MIN + 16 * MiB));
    const before = f.ctx.ledger.entries(f.incidentId).length;
    const e = await rejection(
      intakeFile(f.ctx, ACTOR, path, {
        incidentId: f.incidentId,
        sourceKind: 'file',
        onProgress: changeAfter(MiB, () => meanwhile('truncate', ['-s', '10M', path])),
      }),
    );
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain(`Cannot add ${path} as evidence: its size changed from 80.0 MiB to 10.0 MiB while it was read`);
    expect(e.message).toContain('Nothing was kept');
    expectNothingKept(before);
  });

  it('is refused when another process rewrites part of it in place (same size, new modification time)', async () => {
    const path = join(f.root, 'agent.log');
    writeFileSync(path, randomBytes(24 * MiB));
    // Written a day ago: dd's write then changes the modification time whatever the clock's granularity.
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(path, dayAgo, dayAgo);
    const before = f.ctx.ledger.entries(f.incidentId).length;
    const e = await rejection(
      intakeFile(f.ctx, ACTOR, path, {
        incidentId: f.incidentId,
        sourceKind: 'file',
        onProgress: changeAfter(MiB, () => meanwhile('dd', ['if=/dev/zero', `of=${path}`, 'bs=4096', 'count=1', 'seek=5000', 'conv=notrunc', 'status=none'])),
      }),
    );
    expect(e.message).toContain('it was written to while it was read (its modification time changed)');
    expectNothingKept(before);
  });

  it('is refused when another process replaces it by renaming a new file over it', async () => {
    const path = join(f.root, 'trail.json');
    const next = join(f.root, 'trail.json.new');
    writeFileSync(path, randomBytes(24 * MiB));
    writeFileSync(next, randomBytes(24 * MiB));
    const before = f.ctx.ledger.entries(f.incidentId).length;
    const e = await rejection(
      intakeFile(f.ctx, ACTOR, path, {
        incidentId: f.incidentId,
        sourceKind: 'file',
        onProgress: changeAfter(MiB, () => meanwhile('mv', [next, path])),
      }),
    );
    expect(e.message).toContain('it was replaced by another file while it was read (its inode changed)');
    expectNothingKept(before);
  });

  it('refuses it in a batch too, naming the file, and adds none of the batch', async () => {
    const quiet = join(f.root, 'quiet.txt');
    const busy = join(f.root, 'busy.bin');
    writeFileSync(quiet, 'nothing writes to this file\n');
    writeFileSync(busy, randomBytes(24 * MiB));
    const before = f.ctx.ledger.entries(f.incidentId).length;
    const e = await rejection(
      intakeFiles(f.ctx, ACTOR, [busy, quiet], {
        incidentId: f.incidentId,
        sourceKind: 'file',
        onProgress: changeAfter(2 * MiB, () => meanwhile('truncate', ['-s', '1M', busy])),
      }),
    );
    expect(e.message).toContain(`Cannot add ${busy} as evidence: its size changed from 24.0 MiB to 1.0 MiB`);
    expectNothingKept(before);
  });

  it('still takes in a file nobody touches', async () => {
    const path = join(f.root, 'still.bin');
    writeFileSync(path, randomBytes(24 * MiB));
    const item = await intakeFile(f.ctx, ACTOR, path, { incidentId: f.incidentId, sourceKind: 'file' });
    expect(item.size).toBe(24 * MiB);
  });
});
