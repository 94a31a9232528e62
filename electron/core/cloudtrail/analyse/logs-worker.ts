/**
 * Worker thread entry of `logs scan`: reads the files it is handed (inflate, split, parse, map into the event model,
 * classify) and posts compact row batches back, then the file's result. The calling thread only deduplicates, pairs
 * and aggregates, so reading spreads over the cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readLogFile } from '../model/log-file-reader';
import { type LogReaderData, LogRowEncoder, logTransferables } from './log-rows';
import type { LogsToMain, LogsToWorker } from './logs-pool';
import { collectAfter } from './collect-garbage';

const port = parentPort;
if (!port) throw new Error('logs-worker must run in a worker thread');
const encoder = new LogRowEncoder(workerData as LogReaderData, (batch) => port.postMessage({ type: 'batch', batch } satisfies LogsToMain, logTransferables(batch)));

port.on('message', (m: LogsToWorker) => {
  if (m.type === 'close') {
    port.close();
    return;
  }
  encoder.startFile();
  readLogFile(m.path, encoder)
    .then((result) => {
      encoder.flush();
      port.postMessage({ type: 'file-done', id: m.id, result, refused: encoder.refused } satisfies LogsToMain);
      collectAfter(result.records);
    })
    .catch((e: unknown) => {
      encoder.flush();
      port.postMessage({ type: 'file-error', id: m.id, message: (e as Error)?.message ?? String(e) } satisfies LogsToMain);
    });
});
port.postMessage({ type: 'ready' } satisfies LogsToMain);
