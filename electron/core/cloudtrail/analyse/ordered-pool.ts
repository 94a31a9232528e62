import type { Worker } from 'node:worker_threads';
import type { ExportFile } from '../import/export-files';
import { type HeadStart, type ReaderName, type TakenReader, startWorker } from './scan-pool';

/** What a reader thread is sent: `setup` first (it may start before its call knows what to read: prestartReaders). */
export type ToReader<D> = { type: 'setup'; data: D } | { type: 'file'; id: number; path: string } | { type: 'close' };

/** What a reader thread sends back: `ready` once set up, then per file its batches and its result (or why it failed). */
export type FromReader<B, R> =
  | { type: 'ready' }
  | { type: 'batch'; batch: B }
  | { type: 'file-done'; id: number; result: R }
  | { type: 'file-error'; id: number; message: string };

export interface OrderedReaders<B, R> {
  /** A batch read by worker `reader`, handed over in file order. */
  consume(batch: B, reader: number): void;
  /** A file's result, after all its batches. */
  finished(index: number, result: R): void;
  /** The result of a file whose reader threw: the file failed, with this message. */
  unreadable(index: number, message: string): R;
  /**
   * Reads a file on the calling thread (a worker died on it, or none could start), consuming as it goes, after the
   * first `skip` records (those a worker that died had already handed over; always 0 without `records`).
   */
  local(index: number, skip: number): Promise<void>;
  /**
   * When given, the batches of the file being consumed are consumed as they come, not when the file is whole, and a
   * worker that dies mid-file leaves the rest of it to `local`: this says how many of the file's records a batch holds.
   * Without it each file's batches wait for its end (a file is then read again whole, its partial batches dropped).
   */
  records?: (batch: B) => number;
}

type State<B, R> =
  | { kind: 'waiting' }
  | { kind: 'reading'; reader: number; batches: B[]; consumed: number }
  | { kind: 'read'; reader: number; batches: B[]; result: R }
  | { kind: 'local'; skip: number }
  | { kind: 'consumed' };

type Reading<B, R> = State<B, R> & { kind: 'reading' };

/**
 * Reads the files in `count` reader threads and hands their batches over strictly in file order, so the analysis sees
 * the records in the same order as one thread reading them one after the other: deduplication, pairing, every "first"
 * and every order among calls of one second come out identical, whichever thread read what and whichever finished
 * first. Readers run ahead of the file being consumed by at most two files each, whose batches wait their turn: that
 * bounds what waits in memory. A reader a warm-up started ahead may already be reading the file this call would hand
 * it first (a head start): it is adopted as if handed here, or ended when it reads another. Returns false when no
 * worker could start (the caller then reads every file itself).
 */
export async function readInOrder<D, B, R>(
  name: ReaderName,
  files: readonly ExportFile[],
  count: number,
  data: D,
  cb: OrderedReaders<B, R>,
  signal?: AbortSignal,
  /** How a reader thread is started (set up with `data`, answering `ready`): this folder's workers but in tests. */
  start: (name: ReaderName, data: D) => Promise<TakenReader | null> = startWorker,
): Promise<boolean> {
  const workers: Worker[] = [];
  const heads: Array<HeadStart | null> = [];
  let next = 0;
  // Readers reading a file this call would not hand them now end; the spares they came from are gone, so this ends.
  for (let tries = 0; workers.length < count && tries < count * 2; tries++) {
    const r = await start(name, data);
    if (!r) break;
    const { worker, head } = r;
    if (head && (head.id !== next || files[head.id]?.path !== head.path)) {
      // Its file is not this call's next one (the files changed since a warm-up listed them, or readers came out of turn).
      head.stop();
      void worker.terminate();
      continue;
    }
    if (head) next++;
    workers.push(worker);
    heads.push(head);
  }
  if (workers.length === 0) return false;
  const state: Array<State<B, R>> = files.map(() => ({ kind: 'waiting' }));
  const window = workers.length * 2;
  // busy[wi]: the file worker wi is reading (its batches carry no file id: a worker reads one file at a time).
  const busy = heads.map((h) => h?.id ?? -1);
  for (const h of heads) if (h) state[h.id] = { kind: 'reading', reader: heads.indexOf(h), batches: [], consumed: 0 };
  /** Starting until its first message, then alive until it exits. */
  const life = workers.map((): 'starting' | 'alive' | 'dead' => 'starting');
  let cursor = 0;
  let wake: (() => void) | null = null;
  const changed = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  /** Whether a file's batches may be consumed before its end (see `records`). */
  const early = cb.records !== undefined;
  const consume = (s: Reading<B, R>, batch: B) => {
    cb.consume(batch, s.reader);
    s.consumed += cb.records?.(batch) ?? 0;
  };
  /** A batch of file id: consumed at once when the file is the one being consumed (and may be), else kept for its turn. */
  const take = (id: number, s: Reading<B, R>, batch: B) => {
    if (id === cursor && s.batches.length === 0 && early) consume(s, batch);
    else s.batches.push(batch);
  };
  const more = () => next < files.length && next < cursor + window && !signal?.aborted;
  const feed = () => {
    for (let wi = 0; wi < workers.length; wi++) {
      if (life[wi] !== 'alive' || busy[wi] !== -1 || !more()) continue;
      const id = next++;
      busy[wi] = id;
      state[id] = { kind: 'reading', reader: wi, batches: [], consumed: 0 };
      (workers[wi] as Worker).postMessage({ type: 'file', id, path: (files[id] as ExportFile).path } satisfies ToReader<D>);
    }
  };
  workers.forEach((w, wi) => {
    const onMessage = (m: FromReader<B, R>) => {
      if (m.type === 'ready') life[wi] = 'alive';
      else if (m.type === 'batch') {
        const id = busy[wi] as number;
        const s = state[id];
        if (s?.kind === 'reading') take(id, s, m.batch);
      } else {
        const s = state[m.id];
        if (s?.kind !== 'reading') return;
        const result = m.type === 'file-done' ? m.result : cb.unreadable(m.id, m.message);
        state[m.id] = { kind: 'read', reader: wi, batches: s.batches, result };
        busy[wi] = -1;
      }
      feed();
      changed();
    };
    w.on('message', onMessage);
    // What a reader started ahead answered before this call took it goes first, in order (no message can come between).
    const head = heads[wi];
    if (head) {
      head.stop();
      for (const m of head.messages) onMessage(m as FromReader<B, R>);
    }
    const gone = () => {
      life[wi] = 'dead';
      // A worker that died mid-file leaves the file to the calling thread: its batches not yet consumed are dropped,
      // and the calling thread reads on after the records already consumed.
      const id = busy[wi] as number;
      const s = state[id];
      if (id >= 0 && s?.kind === 'reading') state[id] = { kind: 'local', skip: s.consumed };
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
      const s = state[cursor] as State<B, R>;
      if (s.kind === 'reading' && early) {
        // Now the file being consumed: what waited goes now, the rest as it comes (take).
        for (const b of s.batches) consume(s, b);
        s.batches.length = 0;
      }
      if (s.kind === 'read') {
        for (const b of s.batches) cb.consume(b, s.reader);
        cb.finished(cursor, s.result);
        state[cursor] = { kind: 'consumed' };
        cursor++;
        feed();
      } else if (s.kind === 'local' || (s.kind === 'waiting' && life.every((l) => l === 'dead'))) {
        // A file left by a worker that died, or waiting when every worker died.
        await cb.local(cursor, s.kind === 'local' ? s.skip : 0);
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
