import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { workerBeside } from '../../kernel/threads';
import { type ExportFile, collectExportFiles } from '../import/export-files';

/** This module's own URL, or undefined when bundled to CommonJS (then scanning stays on the calling thread). */
const here: string | undefined = (() => {
  try {
    return typeof import.meta.url === 'string' ? import.meta.url : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Each worker holds a few chunks and batches at a time; a small young generation keeps its garbage collected early,
 * which is what keeps the whole scan under the memory target with several threads. Each collection of it also frees
 * the inflated chunks that died since the one before (their bytes lie outside the heap), so a reader that makes
 * little garbage of its own (GCP entries read member by member) would otherwise hold dead chunks for a long while.
 * 2 MB rather than 8: `logs scan` of 4,000,000 GCP records peaked at 298-303 MiB with 8, 264-268 with 2, and
 * CloudTrail's at 270-281 and 255-257 MiB, for 1% to 3% more CPU; at 400,000 records GCP, Azure and CloudTrail took
 * the same CPU or less and 10 to 30 MiB less memory (interleaved runs).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256 };

/** The reader threads of this folder: scan-worker for `cloudtrail scan`, logs-worker for `logs scan`. */
export type ReaderName = 'scan-worker' | 'logs-worker';

/**
 * Starts one worker of this folder (kernel/threads.ts: the .js file beside this one, or the TypeScript sources
 * bundled). Null when neither is possible. The worker loads its code and then waits for its set-up message.
 */
const newWorker = (name: ReaderName): Promise<Worker | null> => workerBeside(here, name, { resourceLimits: WORKER_LIMITS });

/**
 * The file a spare was handed before its call took it (a head start): the call adopts it when that file is the one it
 * would hand the thread anyway. Until then, whatever the thread answers waits here, in order.
 */
export interface HeadStart {
  /** The file's index in the listing, and its path. */
  id: number;
  path: string;
  messages: unknown[];
  /** Stops keeping the thread's messages: call it as the thread's own listener takes over, then read `messages`. */
  stop(): void;
}

/** A reader thread as a call takes it: set up with the call's data, perhaps already reading its head start. */
export interface TakenReader {
  worker: Worker;
  head: HeadStart | null;
}

/**
 * What a warm-up may hand its spares besides starting them: the data they are set up with, the key a call's own data
 * must match for it to take them as they are (the same key for the same data), and the files listed in the order the
 * call will read them, the first of which each spare starts reading.
 */
export interface ReadAhead {
  key: string;
  data: unknown;
  paths: readonly string[];
}

interface Spare {
  worker: Promise<Worker | null>;
  /** It ended (or failed) before a call took it. */
  gone: boolean;
  /** Set up, and handed a file, ahead of its call. */
  ahead: { key: string; head: HeadStart } | null;
}

/** Readers started ahead of their call (prestartReaders), loading their code; startWorker takes these first. */
const spares: Record<ReaderName, Spare[]> = { 'scan-worker': [], 'logs-worker': [] };

/** A spare that no call takes within this long ends: a warm-up must never leave threads behind. */
const SPARE_LIFE_MS = 20_000;

/**
 * Starts `count` readers before the call that will use them, so that each thread's start (some 60 ms of loading Node
 * and the reader's code) overlaps the caller's own start instead of following it (readAhead may also set them up and
 * start them reading). Spares hold the process open only once taken, and end by themselves when no call takes them.
 */
export function prestartReaders(name: ReaderName, count: number): void {
  for (let i = spares[name].length; i < count; i++) {
    const spare: Spare = { worker: Promise.resolve(null), gone: false, ahead: null };
    const lost = () => {
      spare.gone = true;
    };
    spare.worker = newWorker(name).then(
      (w) => {
        w?.unref();
        // Until a call takes it, nobody else listens: a thread that fails to start must not take the process down.
        w?.on('error', lost).once('exit', lost);
        return w;
      },
      () => {
        lost();
        return null;
      },
    );
    spares[name].push(spare);
    setTimeout(() => {
      const at = spares[name].indexOf(spare);
      if (at < 0) return;
      spares[name].splice(at, 1);
      void spare.worker.then((w) => w?.terminate());
    }, SPARE_LIFE_MS).unref();
  }
}

/**
 * Sets up the spares waiting (those not set up yet) with `ahead.data` and hands each the file a call would hand it
 * first, so that reading starts while the caller still loads: the i-th spare taken reads file i. Takes effect before
 * any call can take them (each spare's set-up is queued on its start before a call's).
 */
export function readAhead(name: ReaderName, ahead: ReadAhead): void {
  spares[name].forEach((spare, i) => {
    const path = ahead.paths[i];
    if (spare.ahead || path === undefined) return;
    const head: HeadStart = { id: i, path, messages: [], stop: () => undefined };
    spare.ahead = { key: ahead.key, head };
    void spare.worker.then((w) => {
      if (!w) return;
      const keep = (m: unknown) => head.messages.push(m);
      w.on('message', keep);
      head.stop = () => {
        w.off('message', keep);
      };
      w.postMessage({ type: 'setup', data: ahead.data });
      w.postMessage({ type: 'file', id: i, path });
    });
  });
}

/** Spares started and not yet taken (nor ended): what a warm-up left waiting. */
export const sparesWaiting = (name: ReaderName): number => spares[name].length;

/** Of those, the spares set up and handed a file ahead (readAhead). */
export const readingAhead = (name: ReaderName): number => spares[name].filter((s) => s.ahead).length;

/**
 * A reader of this folder set up with `data`: a spare when one was started ahead, otherwise a new thread. It answers
 * `ready` once set up. A spare a warm-up set up and handed a file comes with its head start when it was set up for the
 * same `key` (the same data); set up for other data, it is of no use and ends. Returns null when no thread can be
 * started, and the caller reads the files itself.
 */
export async function startWorker(name: ReaderName, data: unknown, key?: string): Promise<TakenReader | null> {
  for (;;) {
    const spare = spares[name].shift();
    if (!spare) break;
    const taken = await spare.worker;
    if (!taken || spare.gone) {
      void taken?.terminate();
      continue;
    }
    if (spare.ahead && spare.ahead.key !== key) {
      spare.ahead.head.stop();
      void taken.terminate();
      continue;
    }
    taken.ref();
    if (spare.ahead) return { worker: taken, head: spare.ahead.head };
    taken.postMessage({ type: 'setup', data });
    return { worker: taken, head: null };
  }
  const w = await newWorker(name);
  if (!w) return null;
  w.postMessage({ type: 'setup', data });
  return { worker: w, head: null };
}

/**
 * Workers worth starting for `cloudtrail scan`: none for small inputs, where starting threads costs more than it saves;
 * otherwise one per core (the calling thread only consumes their batches).
 */
export function workersFor(files: readonly ExportFile[], requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, files.length));
  const bytes = files.reduce((a, f) => a + f.size, 0);
  if (files.length < 2 || bytes < 8 * 1024 * 1024) return 0;
  return Math.min(availableParallelism(), files.length, 4);
}

/**
 * Workers worth starting for `logs scan`: none for small inputs, where starting threads costs more than it saves. A
 * gzip file holds some 10 to 70 times its size in JSON, so it weighs ten times its bytes here.
 */
export function logWorkersFor(files: readonly ExportFile[], requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, files.length));
  const weight = files.reduce((a, f) => a + (/\.gz$/i.test(f.path) ? f.size * 10 : f.size), 0);
  if (files.length < 2 || weight < 8 * 1024 * 1024) return 0;
  return Math.min(availableParallelism(), files.length, 4);
}

/**
 * Starts ahead the readers that a scan of these paths will use (prestartReaders), as many as the scan will want: the
 * paths are listed the way the scan lists them. With `setup` (what gives the data and key the scan will set its readers
 * up with), each reader then also starts reading the file the scan would hand it first (readAhead).
 */
export async function prestartReadersFor(name: ReaderName, paths: readonly string[], setup?: () => Promise<{ key: string; data: unknown } | null>): Promise<void> {
  const { files } = await collectExportFiles(paths);
  const count = name === 'logs-worker' ? logWorkersFor(files) : workersFor(files);
  // The threads load their code while the set-up is read.
  prestartReaders(name, count);
  const ahead = count > 0 && setup ? await setup() : null;
  if (ahead) readAhead(name, { ...ahead, paths: files.map((f) => f.path) });
}
