import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeFiles } from '../../../electron/core/evidence/intake';
import { discardTemp, objectPath, objectsDir } from '../../../electron/core/evidence/store';
import { WARM_MIN_BYTES, adoptWarmIntake, dropWarmIntake, prestartIntake } from '../../../electron/core/evidence/warm-intake';
import { ACTOR, type Fixture, makeFixture, rejection } from './fixtures';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => {
  // Whatever a test left begun is discarded before its folder goes.
  dropWarmIntake(f.dataDir);
  f.cleanup();
});

const big = (name: string, size = WARM_MIN_BYTES + 1234) => {
  const data = randomBytes(size);
  const path = join(f.root, name);
  writeFileSync(path, data);
  return { path, data };
};
const storeNames = () => readdirSync(objectsDir(f.dataDir)).sort();
const partials = () => storeNames().filter((n) => n.startsWith('.partial-'));
const items = () => (f.db.prepare('SELECT count(*) AS n FROM evidence_items').get() as { n: number }).n;

/** Waits for the store to hold no temporary file (a discarded copy goes once its thread has finished). */
async function noPartials(): Promise<void> {
  for (let i = 0; i < 200 && partials().length > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(partials()).toEqual([]);
}

describe('an evidence intake begun ahead of its call (the CLI warm-up)', () => {
  it('copies the file into a temporary file of the store on a thread of its own, hashing it on the way', async () => {
    const { path, data } = big('copy.img');
    await prestartIntake(f.dataDir, path);
    const seen: number[] = [];
    const adopted = adoptWarmIntake(f.dataDir, path, { onProgress: (done) => seen.push(done) });
    expect(adopted).not.toBeNull();
    const { prepared } = await (adopted as NonNullable<typeof adopted>);
    expect(prepared.digest).toMatchObject({ sha256: sha256(data), size: data.length, findings: [] });
    expect(prepared.digest.sha1).toBeUndefined();
    expect(sha256(readFileSync(prepared.tempPath))).toBe(sha256(data));
    expect(partials()).toEqual([prepared.tempPath.slice(objectsDir(f.dataDir).length + 1)]);
    expect(seen.at(-1)).toBe(data.length);
    discardTemp(prepared.tempPath);
  });

  it('copies and hashes the file on a thread; the call adopts that copy and records it as any intake', async () => {
    const { path, data } = big('disk.img');
    await prestartIntake(f.dataDir, path);
    const progress: number[] = [];
    const [item] = await intakeFiles(f.ctx, ACTOR, [path], { incidentId: f.incidentId, sourceKind: 'file', onProgress: (done) => progress.push(done) });
    // Taken by the call: nothing is left to adopt.
    expect(adoptWarmIntake(f.dataDir, path, {})).toBeNull();
    expect(item).toMatchObject({ sha256: sha256(data), size: data.length, name: 'disk.img' });
    expect(sha256(readFileSync(objectPath(f.dataDir, sha256(data))))).toBe(sha256(data));
    expect(progress.at(-1)).toBe(data.length);
    expect(storeNames()).toEqual([sha256(data)]);
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('is left for a call of another file or another data folder, and discarded when dropped: nothing of it is kept', async () => {
    const a = big('a.img');
    const b = big('b.img');
    await prestartIntake(f.dataDir, a.path);
    expect(adoptWarmIntake(join(f.root, 'elsewhere'), a.path, {})).toBeNull();
    const [item] = await intakeFiles(f.ctx, ACTOR, [b.path], { incidentId: f.incidentId, sourceKind: 'file' });
    expect(item?.sha256).toBe(sha256(b.data));
    dropWarmIntake(f.dataDir);
    expect(adoptWarmIntake(f.dataDir, a.path, {})).toBeNull();
    await noPartials();
    expect(storeNames()).toEqual([sha256(b.data)]);
    expect(items()).toBe(1);
  });

  it('is dropped by a call that computes SHA-1 and MD5 too, which then reads the file itself', async () => {
    const { path, data } = big('legacy.img');
    await prestartIntake(f.dataDir, path);
    const [item] = await intakeFiles(f.ctx, ACTOR, [path], { incidentId: f.incidentId, sourceKind: 'file', legacyHashes: true });
    expect(item?.sha1).toBe(createHash('sha1').update(data).digest('hex'));
    expect(item?.md5).toBe(createHash('md5').update(data).digest('hex'));
    await noPartials();
    expect(storeNames()).toEqual([sha256(data)]);
  });

  it('stops when the call that adopted it is cancelled, keeping nothing', async () => {
    const { path } = big('cancel.img', 4 * WARM_MIN_BYTES);
    await prestartIntake(f.dataDir, path);
    const controller = new AbortController();
    const e = await rejection(
      intakeFiles(f.ctx, ACTOR, [path], { incidentId: f.incidentId, sourceKind: 'file', signal: controller.signal, onProgress: () => controller.abort() }),
    );
    expect(e.code).toBe('cancelled');
    await noPartials();
    expect(items()).toBe(0);
    expect(f.ctx.ledger.entries(f.incidentId)).toHaveLength(1);
  });

  it('gives the call the same refusal as its own read would: a file that grows while it is copied', async () => {
    const { path } = big('growing.img', 6 * WARM_MIN_BYTES);
    await prestartIntake(f.dataDir, path);
    let grown = false;
    const grow = () => {
      if (!grown) writeFileSync(path, randomBytes(1024), { flag: 'a' });
      grown = true;
    };
    const e = await rejection(intakeFiles(f.ctx, ACTOR, [path], { incidentId: f.incidentId, sourceKind: 'file', onProgress: grow }));
    expect(e.message).toContain('growing.img as evidence: its size changed from 192.0 MiB to 192.0 MiB while it was read');
    await noPartials();
    expect(items()).toBe(0);
  });

  it('is not begun for a small file, a folder, a missing file, nor a data folder without a store yet', async () => {
    const small = join(f.root, 'small.txt');
    writeFileSync(small, 'small');
    mkdirSync(join(f.root, 'dir.img'));
    const { path } = big('fine.img');
    await prestartIntake(f.dataDir, small);
    await prestartIntake(f.dataDir, join(f.root, 'dir.img'));
    await prestartIntake(f.dataDir, join(f.root, 'missing.img'));
    await prestartIntake(join(f.root, 'no-store'), path);
    for (const p of [small, join(f.root, 'dir.img'), join(f.root, 'missing.img')]) expect(adoptWarmIntake(f.dataDir, p, {})).toBeNull();
    expect(adoptWarmIntake(join(f.root, 'no-store'), path, {})).toBeNull();
    expect(readdirSync(f.root).includes('no-store')).toBe(false);
  });
});
