import type { Db } from './database';

/** Where the case record stands, as dispatch compares it around a mutation. */
export interface RecordState {
  /** Ledger entries in every chain together: one more for each entry appended. */
  ledgerEntries: number;
  /** Rows inserted, updated or deleted on this connection since it opened (SQLite total_changes()). */
  rowChanges: number;
}

export function recordStateReader(db: Db): () => RecordState {
  const read = db.prepare('SELECT (SELECT COALESCE(SUM(seq), 0) FROM ledger_heads) AS ledgerEntries, total_changes() AS rowChanges');
  return () => read.get() as RecordState;
}
