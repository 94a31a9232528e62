import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ExportFile } from '../../../electron/core/cloudtrail/import/export-files';
import { type OrderedReaders, readInOrder } from '../../../electron/core/cloudtrail/analyse/ordered-pool';

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

const start = async (): Promise<Worker> => {
  const w = new Worker(READER, { eval: true });
  w.postMessage({ type: 'setup', data: null });
  return w;
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
});
