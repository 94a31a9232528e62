import Database from 'better-sqlite3';
import type { Db } from './database';

/**
 * A second, read-only connection to a store that another connection of this process has opened and migrated: for
 * worker threads that read in parallel (ledger verification). It never migrates or writes.
 */
export function openReadOnlyDatabase(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
