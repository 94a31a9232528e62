import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { custodyOf } from '../../../electron/core/evidence/custody';
import { intakeBytes, intakeFile, intakeFiles, intakeStream } from '../../../electron/core/evidence/intake';
import { DIRECT_MIN } from '../../../electron/core/evidence/sink';
import { objectPath, objectsDir } from '../../../electron/core/evidence/store';
import { ACTOR, type Fixture, makeFixture, rejection, seedIncident } from './fixtures';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

const write = (name: string | Buffer, data: Buffer | string) => {
  const p = typeof name === 'string' ? join(f.root, name) : Buffer.concat([Buffer.from(`${f.root}/`), name]);
  writeFileSync(p, data);
  return p;
};
const storeNames = () => readdirSync(objectsDir(f.dataDir)).sort();
const entries = () => f.ctx.ledger.entries(f.incidentId);


describe('intake of a file', () => {
  it('hashes while copying into the content-addressed store, read-only, with its metadata and custody', async () => {
    const data = randomBytes(300_000);
    const path = write('disk-image.bin', data);
    utimesSync(path, new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:00:00Z'));
    const item = await intakeFile(f.ctx, ACTOR, path, {
      incidentId: f.incidentId,
      sourceKind: 'file',
      description: 'image of the agent host',
      linkedSteps: ['isolate-agent'],
    });
    expect(item).toMatchObject({
      id: 'EV-000001',
      incidentId: f.incidentId,
      name: 'disk-image.bin',
      sha256: sha256(data),
      size: data.length,
      sourceKind: 'file',
      acquiredBy: { name: ACTOR.name, role: ACTOR.role, initiator: 'human' },
      description: 'image of the agent host',
      originalPath: path,
      modifiedAt: '2026-03-01T10:00:00.000Z',
      linkedSteps: ['isolate-agent'],
      findings: [],
      status: 'intact',
      lastVerifiedAt: null,
      acquisitions: 1,
    });
    expect(item.acquiredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const stored = objectPath(f.dataDir, item.sha256);
    expect(sha256(readFileSync(stored))).toBe(item.sha256);
    expect(statSync(stored).mode & 0o777).toBe(0o444);
    expect(storeNames()).toEqual([item.sha256]);
    const [acquired] = custodyOf(f.ctx, item.id);
    expect(acquired).toMatchObject({ kind: 'acquisition', action: 'evidence.acquired', actor: { name: ACTOR.name } });
    expect(entries().at(-1)).toMatchObject({ action: 'evidence.acquired', subject: item.id, at: item.acquiredAt });
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('stores identical content once: a second intake adds a custody event to the same item', async () => {
    const a = write('a.log', 'same bytes\n');
    const b = write('b.log', 'same bytes\n');
    const first = await intakeFile(f.ctx, ACTOR, a, { incidentId: f.incidentId, sourceKind: 'file' });
    const second = await intakeFile(f.ctx, ACTOR, b, { incidentId: f.incidentId, sourceKind: 'file', linkedSteps: ['revoke-keys'] });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ name: 'a.log', acquisitions: 2, linkedSteps: ['revoke-keys'] });
    expect(storeNames()).toEqual([first.sha256]);
    const custody = custodyOf(f.ctx, first.id);
    expect(custody.map((e) => e.action)).toEqual(['evidence.acquired', 'evidence.reacquired']);
    expect(custody[1]?.details).toMatchObject({ name: 'b.log', originalPath: b, linkedSteps: ['revoke-keys'] });

    // Another incident gets its own item for the same content, still one stored file.
    const other = seedIncident(f.ctx, 'IR-2026-0002');
    const third = await intakeFile(f.ctx, ACTOR, a, { incidentId: other, sourceKind: 'file' });
    expect(third.id).not.toBe(first.id);
    expect(storeNames()).toEqual([first.sha256]);
    expect(readdirSync(objectsDir(f.dataDir)).some((n) => n.startsWith('.partial-'))).toBe(false);
  });

  it('stores a large file of an odd size exactly (the direct I/O path pads and truncates)', async () => {
    const data = randomBytes(DIRECT_MIN + 3 * 1024 * 1024 + 12_345);
    const item = await intakeFile(f.ctx, ACTOR, write('odd.bin', data), { incidentId: f.incidentId, sourceKind: 'file' });
    const stored = objectPath(f.dataDir, item.sha256);
    expect(statSync(stored).size).toBe(data.length);
    expect(sha256(readFileSync(stored))).toBe(sha256(data));
    expect(item.sha256).toBe(sha256(data));
  });

  it('takes a zero-byte file', async () => {
    const item = await intakeFile(f.ctx, ACTOR, write('empty.txt', ''), { incidentId: f.incidentId, sourceKind: 'file' });
    expect(item).toMatchObject({ size: 0, sha256: sha256('') });
  });

  it('keeps names in any encoding: UTF-8 exactly, other bytes alongside', async () => {
    const utf8 = await intakeFile(f.ctx, ACTOR, write('Größe 報告 🔥.txt', 'u'), { incidentId: f.incidentId, sourceKind: 'file' });
    expect(utf8.name).toBe('Größe 報告 🔥.txt');
    expect(utf8.nameBytes).toBeUndefined();
    const latin1 = Buffer.from('caf\xe9-r\xe9sum\xe9.txt', 'latin1');
    const path = write(latin1, 'latin-1 named');
    const item = await intakeFile(f.ctx, ACTOR, path, { incidentId: f.incidentId, sourceKind: 'file' });
    expect(Buffer.from(item.nameBytes as string, 'base64')).toEqual(latin1);
    expect(item.name).toBe('caf\uFFFD-r\uFFFDsum\uFFFD.txt');
    expect(Buffer.from(item.originalPathBytes as string, 'base64')).toEqual(path);
  });

  it('computes SHA-1 and MD5 too when asked', async () => {
    const item = await intakeFile(f.ctx, ACTOR, write('x.bin', 'legacy'), { incidentId: f.incidentId, sourceKind: 'file', legacyHashes: true });
    expect(item.sha1).toBe(createHash('sha1').update('legacy').digest('hex'));
    expect(item.md5).toBe(createHash('md5').update('legacy').digest('hex'));
  });

  it('reports progress and can be cancelled, leaving nothing behind', async () => {
    const path = write('big.bin', randomBytes(24 * 1024 * 1024));
    const seen: number[] = [];
    const before = entries().length;
    const controller = new AbortController();
    const e = await rejection(
      intakeFile(f.ctx, ACTOR, path, {
        incidentId: f.incidentId,
        sourceKind: 'file',
        signal: controller.signal,
        onProgress: (done, total) => {
          seen.push(done);
          expect(total).toBe(24 * 1024 * 1024);
          if (done >= 8 * 1024 * 1024) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(seen.length).toBeGreaterThan(1);
    expect(storeNames()).toEqual([]);
    expect(entries()).toHaveLength(before);
    expect(f.db.prepare('SELECT count(*) AS n FROM evidence_items').get()).toEqual({ n: 0 });
  });

  it('flags secrets in text evidence without blocking it, and keeps the secret out of the ledger', async () => {
    const key = ['AKIA', 'Q3EGRZ7W5MNP2XKD'].join('');
    const item = await intakeFile(f.ctx, ACTOR, write('agent.env', `AWS_ACCESS_KEY_ID=${key}\n`), {
      incidentId: f.incidentId,
      sourceKind: 'file',
    });
    expect(item.findings).toEqual([expect.objectContaining({ kind: 'aws-access-key-id', line: 1, occurrences: 1 })]);
    const ledger = JSON.stringify(entries());
    expect(ledger).toContain(item.findings[0]?.redacted);
    expect(ledger).not.toContain(key);
    const dbText = JSON.stringify(f.db.prepare('SELECT * FROM evidence_blobs').all());
    expect(dbText).not.toContain(key);
  });
});

describe('bad input gets a clear error and adds nothing', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a directory', () => (mkdirSync(join(f.root, 'dir')), join(f.root, 'dir')), /is a directory/],
    ['a FIFO', () => (execFileSync('mkfifo', [join(f.root, 'pipe')]), join(f.root, 'pipe')), /named pipe \(FIFO\)/],
    ['a device', () => '/dev/null', /is a device/],
    ['a dangling link', () => (symlinkSync(join(f.root, 'gone'), join(f.root, 'link')), join(f.root, 'link')), /dangling symbolic link \(it points to .*gone/],
    ['a missing file', () => join(f.root, 'nope.txt'), /does not exist/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses ${what}`, async () => {
      const path = make();
      const e = await rejection(intakeFile(f.ctx, ACTOR, path, { incidentId: f.incidentId, sourceKind: 'file' }));
      expect(e.code).toBe('bad-input');
      expect(e.message).toMatch(message);
      expect(e.message).toContain(path);
      expect(readdirSync(f.dataDir).includes('evidence') ? storeNames() : []).toEqual([]);
    });
  }

  it('follows a link to a real file', async () => {
    const target = write('real.txt', 'real');
    symlinkSync(target, join(f.root, 'alias.txt'));
    const item = await intakeFile(f.ctx, ACTOR, join(f.root, 'alias.txt'), { incidentId: f.incidentId, sourceKind: 'file' });
    expect(item).toMatchObject({ name: 'alias.txt', sha256: sha256('real') });
  });

  it('refuses an unknown incident and a step the playbook does not have', async () => {
    const path = write('x.txt', 'x');
    expect((await rejection(intakeFile(f.ctx, ACTOR, path, { incidentId: 'IR-2026-0999', sourceKind: 'file' }))).code).toBe('not-found');
    const e = await rejection(intakeFile(f.ctx, ACTOR, path, { incidentId: f.incidentId, sourceKind: 'file', linkedSteps: ['no-such-step'] }));
    expect(e.message).toContain('no step or evidence artifact "no-such-step"');
    expect(e.details?.[0]).toContain('isolate-agent');
  });
});

describe('intake of streams and bytes', () => {
  it('takes bytes and streams, with progress', async () => {
    const fromBytes = await intakeBytes(f.ctx, ACTOR, '{"report": true}\n', { incidentId: f.incidentId, name: 'report.json', sourceKind: 'report' });
    expect(fromBytes).toMatchObject({ name: 'report.json', sourceKind: 'report', originalPath: null, sha256: sha256('{"report": true}\n') });
    const chunks = Array.from({ length: 40 }, () => randomBytes(100_000));
    let last = 0;
    const fromStream = await intakeStream(f.ctx, ACTOR, Readable.from(chunks), {
      incidentId: f.incidentId,
      name: 'export.json.gz',
      sourceKind: 'cloudtrail-export',
      size: 4_000_000,
      onProgress: (done) => (last = done),
    });
    expect(fromStream).toMatchObject({ size: 4_000_000, sha256: sha256(Buffer.concat(chunks)) });
    expect(last).toBe(4_000_000);
  });

  it('refuses a stream that ends short of its expected size, keeping nothing', async () => {
    const e = await rejection(
      intakeStream(f.ctx, ACTOR, Readable.from([Buffer.alloc(10)]), { incidentId: f.incidentId, name: 'cut.bin', sourceKind: 'file', expectedSize: 20 }),
    );
    expect(e.code).toBe('cancelled');
    expect(storeNames()).toEqual([]);
  });

  it('cancels a stream that stalls, removing the partial copy', async () => {
    const controller = new AbortController();
    const source = new Readable({ read() {} });
    source.push(randomBytes(2 * 1024 * 1024));
    setTimeout(() => controller.abort(), 50);
    const e = await rejection(intakeStream(f.ctx, ACTOR, source, { incidentId: f.incidentId, name: 's.bin', sourceKind: 'file', signal: controller.signal }));
    expect(e.code).toBe('cancelled');
    expect(storeNames()).toEqual([]);
  });
});

describe('intake of many files', () => {
  it('commits them in groups, in order, with one item each', async () => {
    const dir = join(f.root, 'many');
    mkdirSync(dir);
    const paths = Array.from({ length: 1200 }, (_, i) => {
      const p = join(dir, `f${String(i).padStart(4, '0')}.txt`);
      writeFileSync(p, `file ${i}\n`);
      return p;
    });
    const seen: number[] = [];
    const items = await intakeFiles(f.ctx, ACTOR, paths, { incidentId: f.incidentId, sourceKind: 'file', onItem: (_, i) => seen.push(i) });
    expect(items.map((i) => i.name)).toEqual(paths.map((p) => p.slice(dir.length + 1)));
    expect(seen).toEqual(paths.map((_, i) => i));
    expect(new Set(items.map((i) => i.id)).size).toBe(1200);
    expect(storeNames()).toHaveLength(1200);
    expect(f.ctx.ledger.verify(f.incidentId)).toMatchObject({ ok: true, entries: 1201 });
  });

  it('stops on cancel: groups already committed stay whole, nothing else is left', async () => {
    const dir = join(f.root, 'cancel');
    mkdirSync(dir);
    const paths = Array.from({ length: 3000 }, (_, i) => {
      const p = join(dir, `f${i}`);
      writeFileSync(p, `content ${i}`);
      return p;
    });
    const controller = new AbortController();
    const e = await rejection(
      intakeFiles(f.ctx, ACTOR, paths, { incidentId: f.incidentId, sourceKind: 'file', signal: controller.signal, onItem: () => controller.abort() }),
    );
    expect(e.code).toBe('cancelled');
    const items = (f.db.prepare('SELECT count(*) AS n FROM evidence_items').get() as { n: number }).n;
    expect(items).toBeGreaterThan(0);
    expect(items).toBeLessThan(3000);
    expect(e.details?.at(-1)).toBe(`${items} of 3000 files were added before this; they stay in the record.`);
    expect(storeNames()).toHaveLength(items);
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('adds nothing when any path in the list is bad', async () => {
    const good = write('good.txt', 'good');
    mkdirSync(join(f.root, 'adir'));
    const e = await rejection(intakeFiles(f.ctx, ACTOR, [good, join(f.root, 'adir'), join(f.root, 'missing')], { incidentId: f.incidentId, sourceKind: 'file' }));
    expect(e.message).toContain('2 of the files cannot be added');
    expect(e.details).toHaveLength(2);
    expect(f.db.prepare('SELECT count(*) AS n FROM evidence_items').get()).toEqual({ n: 0 });
  });
});
