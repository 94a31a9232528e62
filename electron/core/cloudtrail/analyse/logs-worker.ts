/**
 * Worker thread entry of `logs scan`: reads the files it is handed (inflate, split, parse, map into the event model,
 * classify) and posts compact row batches back, then the file's result. The calling thread only deduplicates, pairs
 * and aggregates, so reading spreads over the cores.
 */
import { parentPort } from 'node:worker_threads';
import { readLogFile } from '../model/log-file-reader';
import { type LogFileRead, type LogReaderData, type LogRowBatch, LogRowEncoder, logTransferables } from './log-rows';
import type { FromReader, ToReader } from './ordered-pool';
import { collectAfter } from './collect-garbage';

const port = parentPort;
if (!port) throw new Error('logs-worker must run in a worker thread');
/** Made from the set-up message, the first the thread receives (it may start before its call: prestartReaders). */
let encoder: LogRowEncoder | null = null;

type ToMain = FromReader<LogRowBatch, LogFileRead>;

port.on('message', (m: ToReader<LogReaderData>) => {
  if (m.type === 'setup') {
    encoder = new LogRowEncoder(m.data, (batch) => {
      port.postMessage({ type: 'batch', batch } satisfies ToMain, logTransferables(batch));
      collectAfter(batch.rows);
    });
    port.postMessage({ type: 'ready' } satisfies ToMain);
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
      port.postMessage({ type: 'file-done', id: m.id, result: { file: result, refused: reader.refused } } satisfies ToMain);
    })
    .catch((e: unknown) => {
      reader.flush();
      port.postMessage({ type: 'file-error', id: m.id, message: (e as Error)?.message ?? String(e) } satisfies ToMain);
    });
});
