/**
 * An evidence intake begun before its call. The CLI's warm-up (core/warm.ts) starts copying and hashing the first file
 * of `evidence add` on a thread of its own while the process is still loading core and opening the store, which
 * otherwise come first. The copy is the one the call would make (prepareFile: the same checks, one read, the same hash,
 * the same refusal of a file that changes while it is read), into a temporary file of the store; the call adopts it
 * for the same file in the same data folder, and nothing else: a call that does not (another folder, other hashes to
 * compute, a failed check) leaves it, and it is discarded. A warm-up commits nothing and records nothing in the
 * ledger; only the call does, after its own checks.
 */
import { existsSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../shared/result';
import { FirebreakError } from '../errors';
import { workerBeside } from '../kernel/threads';
import { DATABASE_FILE } from '../store/database-file';
import type { Digest } from './copy-hash';
import { type PreparedFile, type Pump, prepareFile } from './prepare';
import { discardTemp } from './store';

/** This module's own URL, or undefined when bundled to CommonJS (the desktop build: the copy is then made by its call). */
const here: string | undefined = (() => {
  try {
    return typeof import.meta.url === 'string' ? import.meta.url : undefined;
  } catch {
    return undefined;
  }
})();

/** What the thread is given: the process's descriptors of the source and of the temporary file. */
export interface IntakeTask {
  srcFd: number;
  tempFd: number;
  tempPath: string;
  size: number;
}

/** What the thread answers: progress, then the digest or the error (with what the calling thread needs to word it). */
export type IntakeReply =
  | { type: 'progress'; done: number }
  | { type: 'done'; digest: Digest }
  | { type: 'error'; message: string; firebreak?: ErrorCode; code?: string; syscall?: string };

/** Smaller files are copied in less time than a thread takes to start: they wait for their call. */
export const WARM_MIN_BYTES = 32 * 1024 * 1024;
/** An intake no call adopts within this long after it is ready is discarded (processes that outlive their call). */
const UNCLAIMED_MS = 20_000;

interface Warm {
  dataDir: string;
  path: string;
  result: Promise<PreparedFile>;
  worker: Worker;
  /** Taken by a call (adopted or dropped): no longer this module's to discard. */
  taken: boolean;
  tempPath: string | null;
  done: number;
  total: number | null;
  onProgress: ((done: number, total: number | null) => void) | null;
}

/** The latest begun: one at a time (the CLI runs one call; a process that runs more begins the next once this is taken). */
let warm: Warm | null = null;

const errorOf = (m: Extract<IntakeReply, { type: 'error' }>): Error => {
  if (m.firebreak) return new FirebreakError(m.firebreak, m.message);
  const e: NodeJS.ErrnoException = new Error(m.message);
  if (m.code) e.code = m.code;
  if (m.syscall) e.syscall = m.syscall;
  return e;
};

/** prepareFile's pump on the thread: hands it the descriptors, relays its progress, and settles with its answer. */
const threadPump =
  (w: Warm): Pump =>
  (src, temp, o) => {
    w.tempPath = temp.path;
    w.total = src.size;
    return new Promise<Digest>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        f();
      };
      w.worker.on('message', (m: IntakeReply) => {
        if (m.type === 'progress') o.onProgress?.(m.done, src.size);
        else if (m.type === 'done') settle(() => resolve(m.digest));
        else settle(() => reject(errorOf(m)));
      });
      w.worker.once('error', (e) => settle(() => reject(e)));
      // The thread ended without an answer: it no longer writes, so the temporary file can be discarded.
      w.worker.once('exit', (code) => settle(() => reject(new Error(`the intake thread ended (exit code ${code}) before the copy was complete`))));
      w.worker.postMessage({ type: 'start', task: { srcFd: src.fd, tempFd: temp.fd, tempPath: temp.path, size: src.size } satisfies IntakeTask });
    });
  };

/** Discards what an intake left: now when it is ready, or when it becomes ready. */
function discard(w: Warm): void {
  w.taken = true;
  w.worker.postMessage({ type: 'cancel' });
  w.result.then(
    (p) => discardTemp(p.prepared.tempPath),
    () => {},
  );
}

/**
 * Starts copying and hashing `path` into the store of `dataDir` ahead of the call that will add it: only a regular file
 * of at least WARM_MIN_BYTES, into the store of a data folder that exists already (its database file), and only where
 * a worker thread can be started. Never fails: the call checks the file again and says what is wrong with it.
 */
export async function prestartIntake(dataDir: string, path: string): Promise<void> {
  if ((warm && !warm.taken) || !existsSync(join(dataDir, DATABASE_FILE))) return;
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size < WARM_MIN_BYTES) return;
  } catch {
    return;
  }
  const worker = await workerBeside(here, 'intake-worker').catch(() => null);
  if (!worker || (warm && !warm.taken)) {
    void worker?.terminate();
    return;
  }
  // Until a call adopts it, the thread must not keep the process alive: a call that fails ends the process as usual.
  worker.unref();
  const w: Warm = { dataDir, path, worker, taken: false, tempPath: null, done: 0, total: null, onProgress: null, result: new Promise<never>(() => {}) };
  const onProgress = (done: number, total: number | null) => {
    w.done = done;
    w.onProgress?.(done, total);
  };
  w.result = prepareFile(dataDir, path, { legacy: false, onProgress }, threadPump(w));
  w.result.then(
    () => {
      void worker.terminate();
      setTimeout(() => {
        if (!w.taken) discard(w);
      }, UNCLAIMED_MS).unref();
    },
    () => void worker.terminate(),
  );
  removeOnExit();
  warm = w;
}

let exitHook = false;

/** The process ends before any call adopted the copy (a refused call): its temporary file goes with it. */
function removeOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    const w = warm;
    if (w && !w.taken && w.tempPath) rmSync(w.tempPath, { force: true });
  });
}

/**
 * The intake begun ahead for this file of this data folder, adopted by the call: its progress from now on goes to
 * `onProgress`, and `signal` cancels it (nothing is kept then). Null when there is none for this file.
 */
export function adoptWarmIntake(
  dataDir: string,
  path: string | Buffer,
  o: { signal?: AbortSignal; onProgress?: (done: number, total: number | null) => void },
): Promise<PreparedFile> | null {
  const w = warm;
  if (!w || w.taken || w.dataDir !== dataDir || typeof path !== 'string' || path !== w.path) return null;
  w.taken = true;
  w.worker.ref();
  if (o.onProgress) {
    w.onProgress = o.onProgress;
    if (w.done > 0) o.onProgress(w.done, w.total);
  }
  if (o.signal) {
    const cancel = () => w.worker.postMessage({ type: 'cancel' });
    if (o.signal.aborted) cancel();
    else o.signal.addEventListener('abort', cancel, { once: true });
  }
  return w.result;
}

/** A call of this data folder that will not adopt an intake begun ahead (it computes other hashes): it is discarded. */
export function dropWarmIntake(dataDir: string): void {
  if (warm && !warm.taken && warm.dataDir === dataDir) discard(warm);
}
