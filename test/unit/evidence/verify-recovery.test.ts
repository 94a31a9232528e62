import { readFileSync, chmodSync, closeSync, openSync, readSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { custodyOf } from '../../../electron/core/evidence/custody';
import { intakeBytes } from '../../../electron/core/evidence/intake';
import { recoverStore } from '../../../electron/core/evidence/recovery';
import { ensureStore, objectPath, objectsDir } from '../../../electron/core/evidence/store';
import { verifyEvidence } from '../../../electron/core/evidence/verify';
import { ACTOR, type Fixture, makeFixture } from './fixtures';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

const add = (name: string, text: string) => intakeBytes(f.ctx, ACTOR, text, { incidentId: f.incidentId, name, sourceKind: 'file' });

/** Flips one byte of a stored (read-only) file, as a tamperer with write access to the data directory would. */
function flipByte(path: string, at = 0): void {
  chmodSync(path, 0o644);
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] = (b[0] ?? 0) ^ 0xff;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
  chmodSync(path, 0o444);
}

describe('verification', () => {
  it('re-hashes every item and records the result on the item and in its custody', async () => {
    const a = await add('a.txt', 'alpha');
    const b = await add('b.txt', 'bravo');
    const v = await verifyEvidence(f.ctx, ACTOR, f.incidentId);
    expect(v).toEqual({
      ok: true,
      incidentId: f.incidentId,
      verifiedAt: expect.any(String),
      items: [
        { id: a.id, name: 'a.txt', sha256: a.sha256, status: 'intact' },
        { id: b.id, name: 'b.txt', sha256: b.sha256, status: 'intact' },
      ],
    });
    const custody = custodyOf(f.ctx, a.id);
    expect(custody.at(-1)).toMatchObject({ kind: 'verification', action: 'evidence.verified', summary: 'verified: intact', details: { status: 'intact', item: a.id } });
    // One ledger entry for the run, listed in both items' custody.
    expect(custodyOf(f.ctx, b.id).at(-1)?.seq).toBe(custody.at(-1)?.seq);
    const row = f.db.prepare('SELECT status, verified_at FROM evidence_items WHERE id = ?').get(a.id);
    expect(row).toEqual({ status: 'intact', verified_at: v.verifiedAt });
  });

  it('names a modified item and a missing one', async () => {
    const a = await add('a.txt', 'alpha');
    const b = await add('b.txt', 'bravo');
    const c = await add('c.txt', 'charlie');
    flipByte(objectPath(f.dataDir, b.sha256), 2);
    rmSync(objectPath(f.dataDir, c.sha256));
    const v = await verifyEvidence(f.ctx, ACTOR, f.incidentId);
    expect(v.ok).toBe(false);
    expect(v.items.map((i) => [i.id, i.status])).toEqual([
      [a.id, 'intact'],
      [b.id, 'modified'],
      [c.id, 'missing'],
    ]);
    expect(v.items[1]?.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.items[1]?.actualSha256).not.toBe(b.sha256);
    expect(custodyOf(f.ctx, b.id).at(-1)?.summary).toBe('verified: modified');
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('verifies an incident without evidence', async () => {
    expect(await verifyEvidence(f.ctx, ACTOR, f.incidentId)).toMatchObject({ ok: true, items: [] });
  });
});

describe('start-up recovery', () => {
  it('removes partial files of dead processes and keeps those of live ones', () => {
    const dir = ensureStore(f.dataDir);
    const dead = join(dir, '.partial-999999-0123456789abcdef');
    const live = join(dir, `.partial-${process.ppid}-0123456789abcdef`);
    writeFileSync(dead, 'half');
    writeFileSync(live, 'half');
    const report = recoverStore(f.ctx);
    expect(report.removedPartial).toBe(1);
    expect(readdirSync(dir)).toEqual([live.slice(dir.length + 1)]);
    expect(f.ctx.ledger.entries('system').at(-1)).toMatchObject({ action: 'evidence.store-recovered', initiator: 'automated' });
  });

  it('quarantines, never deletes, a stored file that no item records (a crash, or a database restored from backup)', async () => {
    const kept = await add('kept.txt', 'kept');
    const orphan = objectPath(f.dataDir, 'ab'.repeat(32));
    writeFileSync(orphan, 'never committed');
    writeFileSync(join(objectsDir(f.dataDir), 'README'), 'not ours to judge');
    const report = recoverStore(f.ctx);
    expect(report.removedUnrecorded).toEqual(['ab'.repeat(32)]);
    expect(readdirSync(objectsDir(f.dataDir)).sort()).toEqual(['README', kept.sha256].sort());
    expect(readFileSync(join(objectsDir(f.dataDir), '..', 'quarantine', 'ab'.repeat(32)), 'utf8')).toBe('never committed');
    expect(f.ctx.ledger.entries('system').at(-1)).toMatchObject({ action: 'evidence.quarantined', payload: { quarantined: ['ab'.repeat(32)] } });
  });

  it('flags an item whose file is gone as missing, once, in its custody', async () => {
    const item = await add('gone.txt', 'gone');
    renameSync(objectPath(f.dataDir, item.sha256), join(f.root, 'moved-away'));
    expect(recoverStore(f.ctx).flaggedMissing).toEqual([item.id]);
    expect(recoverStore(f.ctx).flaggedMissing).toEqual([]);
    const last = custodyOf(f.ctx, item.id).at(-1);
    expect(last).toMatchObject({ kind: 'verification', action: 'evidence.missing', actor: { initiator: 'automated' } });
    expect(f.db.prepare('SELECT status FROM evidence_items WHERE id = ?').get(item.id)).toEqual({ status: 'missing' });
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('a new intake of the same content gives a missing file back', async () => {
    const item = await add('gone.txt', 'gone');
    rmSync(objectPath(f.dataDir, item.sha256));
    recoverStore(f.ctx);
    await add('found-again.txt', 'gone');
    expect(readdirSync(objectsDir(f.dataDir))).toEqual([item.sha256]);
    expect((await verifyEvidence(f.ctx, ACTOR, f.incidentId)).ok).toBe(true);
  });

  it('does nothing, and writes nothing, when the store is sound', async () => {
    await add('a.txt', 'a');
    const before = f.ctx.ledger.entries('system').length;
    expect(recoverStore(f.ctx)).toEqual({ removedPartial: 0, removedUnrecorded: [], flaggedMissing: [] });
    expect(f.ctx.ledger.entries('system')).toHaveLength(before);
  });
});
