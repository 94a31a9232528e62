import type { Db } from './database';

/**
 * Runs fn in one SQLite transaction (a savepoint when one is already open): all of its writes land, or none do.
 * It takes the write lock as it begins (BEGIN IMMEDIATE): a deferred transaction that reads first cannot upgrade its
 * lock while another process writes, and SQLite refuses that upgrade at once ("database is locked") without waiting
 * out the busy timeout. Beginning immediately makes a second writer wait its turn instead.
 */
export const inTransaction = <T>(db: Db, fn: () => T): T => db.transaction(fn).immediate();

/**
 * Runs fn in a transaction that takes the write lock before it starts (BEGIN IMMEDIATE). For work that places files
 * under the lock, so that another process looking for stray files while holding the same lock never sees a half-done
 * commit. The changes inside still record their ledger entries through `ctx.change`.
 */
export const withWriteLock: <T>(db: Db, fn: () => T) => T = inTransaction;
