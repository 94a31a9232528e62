import type { Worker } from 'node:worker_threads';
import type { ExportFile } from '../import/export-files';
import type { LogFileResult } from '../model/log-file-reader';
import type { LogReaderData, LogRowBatch } from './log-rows';
import { startWorker } from './scan-pool';

/** `setup` comes first: a reader may be started before its call knows what to read (prestartReaders). */
export type LogsToWorker = { type: 'setup'; data: LogReaderData } | { type: 'file'; id: number; path: string } | { type: 'close' };

export interface Refused {
  count: number;
  positions: number[];
}

export type LogsToMain =
  | { type: 'ready' }
  | { type: 'batch'; batch: LogRowBatch }
  | { type: 'file-done'; id: number; result: LogFileResult; refused: Refused }
  | { type: 'file-error'; id: number; message: string };

export interface OrderedReaders {
  /** A batch read by worker `worker`, handed over in file order. */
  consume(batch: LogRowBatch, worker: number): void;
  /** A file's result, after all its batches. */
  finished(index: number, result: LogFileResult, refused: Refused): void;
  /** Reads a file on the calling thread (a worker died on it, or none could start), consuming as it goes. */
  local(index: number): Promise<void>;
}

type State =
  | { kind: 'waiting' }
  | { kind: 'reading'; worker: number; batches: LogRowBatch[] }
  | { kind: 'read'; worker: number; batches: LogRowBatch[]; result: LogFileResult; refused: Refused }
  | { kind: 'local' }
  | { kind: 'consumed' };

/**
 * Reads the files in worker threads and hands their batches over strictly in file order, each file whole, so the
 * analysis sees the records in the same order as one thread reading them one after the other: deduplication, pairing
 * and every "first" come out identical. Workers run ahead of the file being consumed by at most a few files, which
 * bounds what waits in memory. Returns false when no worker could start (the caller then reads every file itself).
 */
export async function readInOrder(files: readonly ExportFile[], count: number, data: LogReaderData, cb: OrderedReaders, signal?: AbortSignal): Promise<boolean> {
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const w = await startWorker('logs-worker', data);
    if (!w) break;
    workers.push(w);
  }
  if (workers.length === 0) return false;
  const state: State[] = files.map(() => ({ kind: 'waiting' }));
  const window = workers.length * 2;
  const busy = workers.map(() => -1);
  /** Starting until its first message, then alive until it exits. */
  const life = workers.map((): 'starting' | 'alive' | 'dead' => 'starting');
  // busy[wi]: the file worker wi is reading (its batches carry no file id: a worker reads one file at a time).
  let cursor = 0;
  let next = 0;
  let wake: (() => void) | null = null;
  const changed = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const feed = () => {
    for (let wi = 0; wi < workers.length; wi++) {
      if (life[wi] !== 'alive' || busy[wi] !== -1 || next >= files.length || next >= cursor + window || signal?.aborted) continue;
      const id = next++;
      busy[wi] = id;
      state[id] = { kind: 'reading', worker: wi, batches: [] };
      (workers[wi] as Worker).postMessage({ type: 'file', id, path: (files[id] as ExportFile).path } satisfies LogsToWorker);
    }
  };
  workers.forEach((w, wi) => {
    w.on('message', (m: LogsToMain) => {
      if (m.type === 'ready') life[wi] = 'alive';
      else if (m.type === 'batch') {
        const s = state[busy[wi] as number];
        if (s?.kind === 'reading') s.batches.push(m.batch);
      } else {
        const s = state[m.id];
        if (s?.kind !== 'reading') return;
        const result: LogFileResult =
          m.type === 'file-done'
            ? m.result
            : { path: (files[m.id] as ExportFile).path, cloud: null, status: 'failed', records: 0, reason: `could not be read: ${m.message}`, refusedNoTime: { count: 0, positions: [] } };
        state[m.id] = { kind: 'read', worker: wi, batches: s.batches, result, refused: m.type === 'file-done' ? m.refused : { count: 0, positions: [] } };
        busy[wi] = -1;
      }
      feed();
      changed();
    });
    const gone = () => {
      life[wi] = 'dead';
      // A worker that died mid-file leaves the file to the calling thread; its partial batches are dropped.
      const id = busy[wi] as number;
      if (id >= 0 && state[id]?.kind === 'reading') state[id] = { kind: 'local' };
      busy[wi] = -1;
      feed();
      changed();
    };
    w.on('error', gone);
    w.on('exit', gone);
  });
  const abort = () => changed();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    while (cursor < files.length && !signal?.aborted) {
      const s = state[cursor] as State;
      if (s.kind === 'read') {
        for (const b of s.batches) cb.consume(b, s.worker);
        cb.finished(cursor, s.result, s.refused);
        state[cursor] = { kind: 'consumed' };
        cursor++;
        feed();
      } else if (s.kind === 'local' || (s.kind === 'waiting' && life.every((l) => l === 'dead'))) {
        await cb.local(cursor);
        cursor++;
        feed();
      } else {
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    // Their heaps go back before the report is built.
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return true;
}
