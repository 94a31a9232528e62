/**
 * Worker thread entry of `cloudtrail scan`: reads the files it is handed (gunzip, split, read the fields, classify) and
 * posts compact row batches back, then the file's result. The calling thread only deduplicates and aggregates, in file
 * order (readInOrder), so the parsing spreads over the cores and the report does not depend on which thread read what.
 */
import { parentPort } from 'node:worker_threads';
import { agentMatcher } from '../import/agents';
import { type FileReadResult, readExportFile } from '../import/export-reader';
import { compileHighRiskTable } from './high-risk';
import type { FromReader, ToReader } from './ordered-pool';
import { type RowBatch, RowEncoder, transferables } from './row-batch';
import type { ScanWorkerData } from './scan-protocol';
import { collectAfter } from './collect-garbage';

const port = parentPort;
if (!port) throw new Error('scan-worker must run in a worker thread');
type ToMain = FromReader<RowBatch, FileReadResult>;
/** Made from the set-up message, the first the thread receives (it may start before its call: prestartReaders). */
let setUp: { encoder: RowEncoder; data: ScanWorkerData } | null = null;

port.on('message', (m: ToReader<ScanWorkerData>) => {
  if (m.type === 'setup') {
    const encoder = new RowEncoder(compileHighRiskTable(m.data.table), agentMatcher(m.data.agents), 8192, (batch) => {
      port.postMessage({ type: 'batch', batch } satisfies ToMain, transferables(batch));
      collectAfter(batch.rows);
    });
    setUp = { encoder, data: m.data };
    port.postMessage({ type: 'ready' } satisfies ToMain);
    return;
  }
  if (m.type === 'close') {
    port.close();
    return;
  }
  if (!setUp) throw new Error('scan-worker was handed a file before its set-up');
  const { encoder, data } = setUp;
  readExportFile(m.path, (rec) => encoder.add(rec), { limits: data.limits })
    .then((result) => {
      encoder.flush();
      port.postMessage({ type: 'file-done', id: m.id, result } satisfies ToMain);
    })
    .catch((e: unknown) => {
      encoder.flush();
      port.postMessage({ type: 'file-error', id: m.id, message: (e as Error)?.message ?? String(e) } satisfies ToMain);
    });
});
