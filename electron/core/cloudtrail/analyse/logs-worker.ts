/**
 * Worker thread entry of `logs scan`: reads the files it is handed (inflate, split, parse, map into the event model,
 * classify) and posts compact row batches back, then the file's result. The calling thread only deduplicates, pairs
 * and aggregates, so reading spreads over the cores.
 */
import { parentPort } from 'node:worker_threads';
import { readLogFile } from '../model/log-file-reader';
import { LogRowEncoder, logTransferables } from './log-rows';
import type { LogsToMain, LogsToWorker } from './logs-pool';
import { collectAfter } from './collect-garbage';

const port = parentPort;
if (!port) throw new Error('logs-worker must run in a worker thread');
/** Made from the set-up message, the first the thread receives (it may start before its call: prestartReaders). */
let encoder: LogRowEncoder | null = null;

port.on('message', (m: LogsToWorker) => {
  if (m.type === 'setup') {
    encoder = new LogRowEncoder(m.data, (batch) => {
      port.postMessage({ type: 'batch', batch } satisfies LogsToMain, logTransferables(batch));
      collectAfter(batch.rows);
    });
    port.postMessage({ type: 'ready' } satisfies LogsToMain);
    return;
  }
  if (m.type === 'close') {
    port.close();
    return;
  }
  if (!encoder) throw new Error('logs-worker was handed a file before its set-up');
  const reader = encoder;
  reader.startFile();
  readLogFile(m.path, reader)
    .then((result) => {
      reader.flush();
      port.postMessage({ type: 'file-done', id: m.id, result, refused: reader.refused } satisfies LogsToMain);
    })
    .catch((e: unknown) => {
      reader.flush();
      port.postMessage({ type: 'file-error', id: m.id, message: (e as Error)?.message ?? String(e) } satisfies LogsToMain);
    });
});
