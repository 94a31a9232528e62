// A worker thread of ledger verification: checks one stretch of a chain over its own read-only connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyDatabase } from '../store/read-only';
import { LedgerRepository } from './repository';
import { type StretchTask, checkStretch } from './stretch';

const task = workerData as StretchTask;
const db = openReadOnlyDatabase(task.file);
try {
  parentPort?.postMessage(checkStretch(new LedgerRepository(db).stored(task.scope, task.afterSeq, task.lastSeq), task.afterSeq, task.lastSeq));
} finally {
  db.close();
}
