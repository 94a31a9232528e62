import type { FileReadResult, ReadLimits } from '../import/export-reader';
import type { ValidatedTable } from './high-risk';
import type { RowBatch } from './row-batch';

export interface ScanWorkerData {
  /** The high-risk table, validated by the main thread (workers do not read resources themselves). */
  table: ValidatedTable;
  agents: string[];
  limits: Partial<ReadLimits>;
}

/**
 * `setup` comes first (a reader may start before its call knows what to read: prestartReaders); `ack`: the main thread
 * has consumed a batch; a worker keeps only a few batches in flight (memory stays bounded).
 */
export type ToWorker = { type: 'setup'; data: ScanWorkerData } | { type: 'file'; id: number; path: string } | { type: 'ack' } | { type: 'close' };

export type ToMain =
  | { type: 'ready' }
  | { type: 'batch'; batch: RowBatch }
  | { type: 'file-done'; id: number; result: FileReadResult }
  | { type: 'file-error'; id: number; message: string };
