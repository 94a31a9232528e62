/**
 * The store's file name in a data folder, apart from database.ts: code that only asks whether a data folder has a
 * store (the CLI's warm-up) then does not load SQLite to learn it.
 */
export const DATABASE_FILE = 'firebreak.db';
