import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath, objectsDir } from '../../../electron/core/evidence/store';
import { WARM_MIN_BYTES } from '../../../electron/core/evidence/warm-intake';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { BIN, REPO, type Workspace, bin, makeWorkspace } from './helpers';

let w: Workspace;
beforeEach(() => {
  w = makeWorkspace();
});
afterEach(() => w.cleanup());

const dd = () => ['--data-dir', w.dataDir];

describe('bin/firebreak.js evidence as a real process', () => {
  it('exits 0, then 1 naming the item once a stored byte is flipped', async () => {
    const file = join(w.root, 'orders.csv');
    writeFileSync(file, 'id,total\n1,10\n');
    const add = await bin([...dd(), 'evidence', 'add', w.incidentId, file]);
    expect(add).toMatchObject({ code: 0, err: '' });
    const sha = add.out.split(' ')[0] as string;
    expect((await bin([...dd(), 'evidence', 'verify', w.incidentId])).code).toBe(0);

    const stored = objectPath(w.dataDir, sha);
    chmodSync(stored, 0o644);
    const fd = openSync(stored, 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, 5);
    writeSync(fd, Buffer.from([(b[0] ?? 0) ^ 0x20]), 0, 1, 5);
    closeSync(fd);

    const bad = await bin([...dd(), 'evidence', 'verify', w.incidentId]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`modified  EV-000001  ${sha}  orders.csv`);
    expect(bad.err).toContain('EV-000001 orders.csv (modified)');
    expect((await bin([...dd(), 'audit', 'verify', w.incidentId])).code).toBe(0);
  });

  it('exits 2 with a clear message for a FIFO, without blocking on it', async () => {
    const fifo = join(w.root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await bin([...dd(), 'evidence', 'add', w.incidentId, fifo]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`Cannot add ${fifo} as evidence: it is a named pipe (FIFO)`);
  });

  it('keeps a file name that is not UTF-8, byte for byte', async () => {
    // Node cannot pass such bytes in argv; bash can.
    const script = `cd "$1" && printf 'latin-1 named' > $'r\\xe9sum\\xe9.txt' && exec "$2" "$3" --data-dir "$4" evidence add "$5" $'r\\xe9sum\\xe9.txt'`;
    const r = spawnSync('bash', ['-c', script, 'bash', w.root, process.execPath, BIN, w.dataDir, w.incidentId], {
      cwd: REPO,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes' },
    });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    const list = await bin([...dd(), 'evidence', 'list', w.incidentId, '--json']);
    const [item] = JSON.parse(list.out) as EvidenceItem[];
    expect(Buffer.from(item?.nameBytes as string, 'base64')).toEqual(Buffer.from('r\xe9sum\xe9.txt', 'latin1'));
    expect(item?.size).toBe(13);
  });

  it('exits 2 for a file it may not read', async () => {
    const secret = join(w.root, 'shadow-copy');
    writeFileSync(secret, 'root only');
    chmodSync(secret, 0o000);
    const args = [...dd(), 'evidence', 'add', w.incidentId, secret];
    const r = process.getuid?.() === 0 ? await asRootWithoutOverride(args) : await bin(args);
    expect(r.err).toContain(`Cannot add ${secret} as evidence: it cannot be read: permission denied`);
    expect(r.code).toBe(2);
  });
});

/**
 * Root reads anything, so the CLI runs as root without the capabilities that override file permissions (setpriv from
 * util-linux). Staying root, rather than becoming nobody, keeps the checkout readable wherever it lies, even under a
 * folder only root may enter, such as one made by mktemp -d.
 */
function asRootWithoutOverride(args: string[]): Promise<{ code: number; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn('setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', process.execPath, BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, err }));
  });
}

describe('bin/firebreak.js evidence add of a large file (copied while core loads)', () => {
  const large = () => {
    const file = join(w.root, 'disk.img');
    writeFileSync(file, randomBytes(WARM_MIN_BYTES + 4321));
    return file;
  };
  const storeNames = () => readdirSync(objectsDir(w.dataDir));

  it('stores exactly what sha256sum reads, with nothing temporary left and the ledger whole', async () => {
    const file = large();
    const add = await bin([...dd(), 'evidence', 'add', w.incidentId, file]);
    expect(add).toMatchObject({ code: 0, err: '' });
    expect(add.out).toBe(`${execFileSync('sha256sum', [file]).toString().split(' ')[0]}  ${file}\n`);
    const sha = add.out.split(' ')[0] as string;
    expect(storeNames()).toEqual([sha]);
    expect(execFileSync('sha256sum', [objectPath(w.dataDir, sha)]).toString().split(' ')[0]).toBe(sha);
    expect((await bin([...dd(), 'evidence', 'verify', w.incidentId])).code).toBe(0);
    expect((await bin([...dd(), 'audit', 'verify', w.incidentId])).code).toBe(0);
  });

  it('keeps nothing when the call is refused (an unknown incident): the copy begun ahead goes with the process', async () => {
    const file = large();
    const r = await bin([...dd(), 'evidence', 'add', 'IR-2026-0999', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('There is no incident IR-2026-0999.');
    expect(storeNames()).toEqual([]);
  });
});
