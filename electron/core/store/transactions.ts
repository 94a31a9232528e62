import type { Db } from './database';

/** Runs fn in one SQLite transaction (a savepoint when one is already open): all of its writes land, or none do. */
export const inTransaction = <T>(db: Db, fn: () => T): T => db.transaction(fn)();

/**
 * Runs fn in a transaction that takes the write lock before it starts (BEGIN IMMEDIATE). For work that places files
 * under the lock, so that another process looking for stray files while holding the same lock never sees a half-done
 * commit. The changes inside still record their ledger entries through `ctx.change`.
 */
export const withWriteLock = <T>(db: Db, fn: () => T): T => db.transaction(fn).immediate();
