import type { ReadLimits } from '../import/export-reader';
import type { ValidatedTable } from './high-risk';

/** The set-up of a `cloudtrail scan` reader thread (the messages themselves: ToReader and FromReader, ordered-pool.ts). */
export interface ScanWorkerData {
  /** The high-risk table, validated by the main thread (workers do not read resources themselves). */
  table: ValidatedTable;
  agents: string[];
  limits: Partial<ReadLimits>;
}
