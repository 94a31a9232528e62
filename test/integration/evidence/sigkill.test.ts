import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverStore } from '../../../electron/core/evidence/recovery';
import { TEMP_PREFIX, objectPath, objectsDir } from '../../../electron/core/evidence/store';
import { openDatabase } from '../../../electron/core/store/database';
import { contextFor } from '../../unit/evidence/fixtures';
import { BIN, REPO, type Workspace, bin, makeWorkspace } from './helpers';

const SIZE = 200 * 1024 * 1024;
const TRIALS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let w: Workspace;
let big: string;
beforeAll(() => {
  w = makeWorkspace();
  big = join(w.root, 'disk-image.bin');
  const fd = openSync(big, 'w');
  const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
  for (let done = 0; done < SIZE; done += chunk.length) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
});
/** Children still running when a failed assertion ends the test must not write into the removed workspace. */
const running = new Set<ReturnType<typeof spawn>>();
afterAll(async () => {
  await Promise.all([...running].map((c) => new Promise((done) => (c.once('exit', done), c.kill('SIGKILL')))));
  w.cleanup();
});

/** New content for each trial, so every trial writes a new stored file instead of finding the last one. */
function changeContent(): void {
  const fd = openSync(big, 'r+');
  writeSync(fd, randomFillSync(Buffer.alloc(32)), 0, 32, 0);
  closeSync(fd);
}

/** Starts `evidence add` of the big file; `begun` resolves when its temporary file appears in the store. */
function start() {
  const child = spawn(process.execPath, [BIN, '--data-dir', w.dataDir, 'evidence', 'add', w.incidentId, big], {
    cwd: REPO,
    env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes' },
    stdio: 'ignore',
  });
  let ended = false;
  running.add(child);
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on('exit', (_code, signal) => {
      ended = true;
      running.delete(child);
      done(signal);
    }),
  );
  const begun = (async () => {
    while (!ended && partials().length === 0) await sleep(2);
  })();
  return { child, exited, begun, at: Date.now() };
}

const partials = () =>
  existsSync(objectsDir(w.dataDir)) ? readdirSync(objectsDir(w.dataDir)).filter((n) => n.startsWith(TEMP_PREFIX)) : [];

/** What must hold after a restart: no partial file, no item without its file, no file without its item, chain intact. */
function checkAfterRestart(trial: string): { items: number } {
  const db = openDatabase(w.dataDir);
  try {
    const ctx = contextFor(db, w.dataDir);
    recoverStore(ctx);
    expect(partials(), `${trial}: partial files`).toEqual([]);
    const blobs = db.prepare('SELECT sha256, size FROM evidence_blobs').all() as Array<{ sha256: string; size: number }>;
    const stored = readdirSync(objectsDir(w.dataDir)).sort();
    expect(stored, `${trial}: store files = recorded contents`).toEqual(blobs.map((b) => b.sha256).sort());
    for (const b of blobs) expect(statSync(objectPath(w.dataDir, b.sha256)).size, `${trial}: stored size`).toBe(b.size);
    const items = db.prepare('SELECT i.id, i.sha256 FROM evidence_items i').all() as Array<{ id: string; sha256: string }>;
    for (const i of items) expect(existsSync(objectPath(w.dataDir, i.sha256)), `${trial}: ${i.id} has its file`).toBe(true);
    expect(ctx.ledger.verify(w.incidentId).ok, `${trial}: ledger`).toBe(true);
    return { items: items.length };
  } finally {
    db.close();
  }
}

describe('SIGKILL during intake of a large file', () => {
  it(`leaves a consistent locker after ${TRIALS} kills at random moments`, async () => {
    // Calibrate on one whole run: how long it takes, and how long its intake takes from the temporary file appearing.
    const calibration = start();
    await calibration.begun;
    const intakeFrom = Date.now();
    expect(await calibration.exited).toBeNull();
    const intake = Math.max(50, Date.now() - intakeFrom);
    const whole = Date.now() - calibration.at;

    const log: string[] = [];
    let killed = 0;
    for (let t = 1; t <= TRIALS; t += 1) {
      changeContent();
      const run = start();
      // One trial in four at any moment of the run (start-up and recovery included), the others during the intake.
      const anywhere = t % 4 === 0;
      if (!anywhere) await run.begun;
      const delay = Math.random() * (anywhere ? whole : intake);
      await sleep(delay);
      run.child.kill('SIGKILL');
      const signal = await run.exited;
      if (signal === 'SIGKILL') killed += 1;
      const { items } = checkAfterRestart(`trial ${t}`);
      log.push(`trial ${t}: ${signal ?? 'finished'} ${Math.round(delay)} ms into the ${anywhere ? 'run' : 'intake'}, ${items} items`);
    }
    // Most kills must land before the run ends, or the test proves nothing.
    expect(killed, log.join('\n')).toBeGreaterThanOrEqual(TRIALS / 2);

    const audit = await bin(['--data-dir', w.dataDir, 'audit', 'verify', w.incidentId]);
    expect(audit.code, audit.err).toBe(0);
    const verify = await bin(['--data-dir', w.dataDir, 'evidence', 'verify', w.incidentId]);
    expect(verify.code, `${verify.out}${verify.err}`).toBe(0);
  }, 600_000);
});
