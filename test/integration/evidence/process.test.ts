import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../../electron/core/evidence/store';
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
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      // Root reads anything: run the CLI as nobody, with a data directory nobody owns.
      chmodSync(w.root, 0o755);
      const home = join(w.root, 'home');
      mkdirSync(home);
      for (const p of [w.dataDir, home, ...['firebreak.db', 'firebreak.db-wal', 'firebreak.db-shm'].map((n) => join(w.dataDir, n))]) {
        try {
          chownSync(p, 65534, 65534);
        } catch {
          // The WAL files exist only while a connection is open.
        }
      }
      const r = await bin([...dd(), 'evidence', 'add', w.incidentId, secret], {
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH ?? '', HOME: home, FIREBREAK_ACTOR: 'Dana Reyes', TMPDIR: home },
      });
      expect(r.err).toContain(`Cannot add ${secret} as evidence: it cannot be read: permission denied`);
      expect(r.code).toBe(2);
    } else {
      const r = await bin([...dd(), 'evidence', 'add', w.incidentId, secret]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('cannot be read: permission denied');
    }
  });
});
