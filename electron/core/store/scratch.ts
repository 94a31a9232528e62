import Database from 'better-sqlite3';
import type { Db } from './database';
import { migrate } from './database';
import { migrations } from './migrations/index';

/**
 * A store in memory, gone when closed: for work that records nothing (the CLI's scans, lint, database checks and bundle
 * verification), so it runs where no data directory exists or can be written.
 */
export function openScratchDatabase(options: { nativeBinding?: string } = {}): Db {
  const db = new Database(':memory:', options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('foreign_keys = ON');
  migrate(db, migrations, 'the scratch store');
  return db;
}
