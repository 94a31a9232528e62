/**
 * Worker thread entry: reads the files it is handed (gunzip, split, JSON.parse, classify) and posts compact row batches
 * back. The main thread only deduplicates and aggregates, so the parsing spreads over the cores.
 */
import { parentPort } from 'node:worker_threads';
import { agentMatcher } from '../import/agents';
import { readExportFile } from '../import/export-reader';
import { compileHighRiskTable } from './high-risk';
import { RowEncoder, transferables } from './row-batch';
import type { ScanWorkerData, ToMain, ToWorker } from './scan-protocol';
import { collectAfter } from './collect-garbage';

const port = parentPort;
if (!port) throw new Error('scan-worker must run in a worker thread');
/** Batches posted but not yet consumed; reading pauses above this many. */
const MAX_IN_FLIGHT = 4;
let inFlight = 0;
let resume: (() => void) | null = null;
/** Made from the set-up message, the first the thread receives (it may start before its call: prestartReaders). */
let setUp: { encoder: RowEncoder; data: ScanWorkerData } | null = null;
const throttle = () =>
  inFlight < MAX_IN_FLIGHT
    ? undefined
    : new Promise<void>((r) => {
        resume = r;
      });

port.on('message', (m: ToWorker) => {
  if (m.type === 'setup') {
    const encoder = new RowEncoder(compileHighRiskTable(m.data.table), agentMatcher(m.data.agents), 8192, (batch) => {
      inFlight++;
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
  if (m.type === 'ack') {
    inFlight--;
    if (resume && inFlight < MAX_IN_FLIGHT) {
      const r = resume;
      resume = null;
      r();
    }
    return;
  }
  if (!setUp) throw new Error('scan-worker was handed a file before its set-up');
  const { encoder, data } = setUp;
  readExportFile(m.path, (rec) => encoder.add(rec), { limits: data.limits, throttle })
    .then((result) => {
      encoder.flush();
      port.postMessage({ type: 'file-done', id: m.id, result } satisfies ToMain);
    })
    .catch((e: unknown) => {
      encoder.flush();
      port.postMessage({ type: 'file-error', id: m.id, message: (e as Error)?.message ?? String(e) } satisfies ToMain);
    });
});
