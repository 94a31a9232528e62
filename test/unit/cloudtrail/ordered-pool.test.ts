import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ExportFile } from '../../../electron/core/cloudtrail/import/export-files';
import { type OrderedReaders, readInOrder } from '../../../electron/core/cloudtrail/analyse/ordered-pool';
import type { TakenReader } from '../../../electron/core/cloudtrail/analyse/scan-pool';

/**
 * A reader thread that reads nothing: for a file named `rows:N` it posts N one-row batches ([index]) and its result;
 * for `rows:N:die` it posts them and then dies (an uncaught error, as a worker out of memory would end).
 */
const READER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type === 'setup') parentPort.postMessage({ type: 'ready' });
  if (m.type !== 'file') return;
  const [, n, die] = m.path.split(':');
  for (let k = 0; k < Number(n); k++) parentPort.postMessage({ type: 'batch', batch: { file: m.id, row: k } });
  if (die) setTimeout(() => { throw new Error('reader died'); }, 100);
  else parentPort.postMessage({ type: 'file-done', id: m.id, result: 'read ' + m.path });
});`;

const start = async (): Promise<TakenReader> => {
  const w = new Worker(READER, { eval: true });
  w.postMessage({ type: 'setup', data: null });
  return { worker: w, head: null };
};
const file = (path: string): ExportFile => ({ path, size: 1 }) as ExportFile;

interface Batch {
  file: number;
  row: number;
}

function recorder(withRecords: boolean) {
  const seen: string[] = [];
  const cb: OrderedReaders<Batch, string> = {
    consume: (b) => seen.push(`${b.file}.${b.row}`),
    finished: (i, r) => seen.push(`done ${i} (${r})`),
    unreadable: (i, message) => `file ${i}: ${message}`,
    local: async (i, skip) => {
      seen.push(`local ${i} after ${skip}`);
    },
    ...(withRecords ? { records: () => 1 } : {}),
  };
  return { seen, cb };
}

describe('reading files in order in worker threads', () => {
  it('hands the batches over in file order whichever reader finished first', async () => {
    const { seen, cb } = recorder(false);
    const files = [file('rows:3'), file('rows:1'), file('rows:2')];
    expect(await readInOrder('scan-worker', files, 2, null, cb, undefined, start)).toBe(true);
    expect(seen).toEqual(['0.0', '0.1', '0.2', 'done 0 (read rows:3)', '1.0', 'done 1 (read rows:1)', '2.0', '2.1', 'done 2 (read rows:2)']);
  });

  it('reads a file again whole when its worker dies and nothing of it was consumed yet', async () => {
    const { seen, cb } = recorder(false);
    await readInOrder('scan-worker', [file('rows:4:die')], 1, null, cb, undefined, start);
    expect(seen).toEqual(['local 0 after 0']);
  });

  it('consumes a file as it comes when each batch says its records, and reads on after them when its worker dies', async () => {
    const { seen, cb } = recorder(true);
    await readInOrder('scan-worker', [file('rows:4:die'), file('rows:2')], 1, null, cb, undefined, start);
    expect(seen).toEqual(['0.0', '0.1', '0.2', '0.3', 'local 0 after 4', 'local 1 after 0']);
  });

  /** A reader started ahead and handed file `id` (a warm-up's head start): its answers wait until the pool takes it. */
  const startedAhead = async (id: number, path: string): Promise<TakenReader> => {
    const w = new Worker(READER, { eval: true });
    const messages: unknown[] = [];
    const keep = (m: unknown) => messages.push(m);
    w.on('message', keep);
    w.postMessage({ type: 'setup', data: null });
    w.postMessage({ type: 'file', id, path });
    // Everything it answers (ready, its batches, its result) waits before the pool takes it.
    await new Promise<void>((done) => {
      const check = () => (messages.some((m) => (m as { type: string }).type === 'file-done') ? done() : setTimeout(check, 5));
      check();
    });
    return { worker: w, head: { id, path, messages, stop: () => void w.off('message', keep) } };
  };

  it('adopts readers already reading the files it would hand them first, their earlier answers first', async () => {
    const { seen, cb } = recorder(true);
    const files = [file('rows:3'), file('rows:2'), file('rows:1'), file('rows:2')];
    const ahead = [await startedAhead(0, 'rows:3'), await startedAhead(1, 'rows:2')];
    let taken = 0;
    const take = async () => ahead[taken++] ?? start();
    expect(await readInOrder('scan-worker', files, 2, null, cb, undefined, take)).toBe(true);
    expect(seen).toEqual(['0.0', '0.1', '0.2', 'done 0 (read rows:3)', '1.0', '1.1', 'done 1 (read rows:2)', '2.0', 'done 2 (read rows:1)', '3.0', '3.1', 'done 3 (read rows:2)']);
  });

  it('ends a reader started ahead on another file than the one it would hand it, and reads with the others', async () => {
    const { seen, cb } = recorder(true);
    const files = [file('rows:1'), file('rows:2')];
    // Handed a file that is no longer the first (the folder changed since the warm-up listed it).
    const stale = await startedAhead(0, 'rows:5');
    let taken = 0;
    const take = async () => (taken++ === 0 ? stale : start());
    expect(await readInOrder('scan-worker', files, 1, null, cb, undefined, take)).toBe(true);
    expect(taken).toBe(2);
    expect(seen).toEqual(['0.0', 'done 0 (read rows:1)', '1.0', '1.1', 'done 1 (read rows:2)']);
  });
});
