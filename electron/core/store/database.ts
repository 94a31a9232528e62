import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FirebreakError } from '../errors';
import { DATABASE_FILE } from './database-file';
import { type Migration, migrationChecksum } from './migration';
import { migrations as shippedMigrations } from './migrations/index';

export type Db = Database.Database;
export { DATABASE_FILE };

/** 'FBRK': marks a SQLite file as Firebreak's, so a foreign database is never mistaken for ours. */
export const APPLICATION_ID = 0x4642524b;
const SQLITE_HEADER = 'SQLite format 3\u0000';
/**
 * How long a writer waits for the write lock another process holds before it gives up: 30 s, or the whole number of
 * milliseconds in FIREBREAK_BUSY_TIMEOUT_MS (tests shorten it to show that no transaction holds the lock that long).
 */
export const BUSY_TIMEOUT_MS = busyTimeoutMs(process.env.FIREBREAK_BUSY_TIMEOUT_MS);

function busyTimeoutMs(value: string | undefined): number {
  if (value === undefined || value === '') return 30_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
    throw new Error(`FIREBREAK_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 1 to 3600000, not "${value}"`);
  }
  return ms;
}

export interface OpenOptions {
  migrations?: readonly Migration[];
  /** Path to a better_sqlite3.node built for this runtime (the Electron build keeps its own). */
  nativeBinding?: string;
}

const unusable = (what: string, why: string) =>
  new FirebreakError('unavailable', `${what} ${why}. Nothing was changed; fix it or choose another --data-dir.`);

/** Creates the data directory if needed and proves it is a writable directory. */
export function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EEXIST' || err.code === 'ENOTDIR'
        ? 'is not a directory (a file is in the way)'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'cannot be created: permission denied'
          : err.code === 'EROFS'
            ? 'is on a read-only file system'
            : `cannot be created (${err.code ?? err.message})`;
    throw unusable(`The data directory ${dataDir}`, why);
  }
  if (!statSync(dataDir).isDirectory()) throw unusable(`The data directory ${dataDir}`, 'is not a directory');
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch {
    throw unusable(`The data directory ${dataDir}`, 'is not writable');
  }
}

function readHeader(path: string): { exists: boolean; size: number; header: string } {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, size: 0, header: '' };
    throw e;
  }
  if (!st.isFile()) throw unusable(path, 'is not a regular file');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return { exists: true, size: st.size, header: buf.subarray(0, n).toString('latin1') };
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens (or creates) the Firebreak database in dataDir. A file that is not SQLite, a SQLite database that is not
 * Firebreak's, a corrupt one, or one whose migrations do not match this build stops start-up with a clear message;
 * the file is never overwritten or recreated.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  prepareDataDir(dataDir);
  const path = join(dataDir, DATABASE_FILE);
  const { exists, size, header } = readHeader(path);
  if (exists && size > 0 && header !== SQLITE_HEADER) {
    throw unusable(`${path}`, 'is not a Firebreak database (it is not an SQLite file)');
  }

  let db: Db;
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw unusable(path, `cannot be opened: ${(e as Error).message}`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
    if (appId !== APPLICATION_ID && (appId !== 0 || objects > 0)) {
      throw unusable(path, 'is an SQLite database that Firebreak did not create');
    }
    if (objects > 0) checkIntact(db, path, size);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Another process's write (an evidence commit, a batch of an analysis) is waited for rather than refused.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (appId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, options.migrations ?? shippedMigrations, path);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof FirebreakError) throw e;
    const err = e as Error & { code?: string };
    if (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB') throw damaged(path, err.message);
    if (err.code === 'SQLITE_READONLY' || err.code === 'SQLITE_CANTOPEN' || err.code === 'SQLITE_IOERR_WRITE') {
      throw unusable(path, `cannot be written (${err.message})`);
    }
    throw e;
  }
}

/** A damaged database stops start-up: nothing may be read from it as if it were whole, nor written into it. */
const damaged = (path: string, finding: string) =>
  new FirebreakError(
    'unavailable',
    `${path} is damaged (${finding}). Firebreak stopped without reading or writing it. ` +
      'Keep a copy of the file as it is, then restore firebreak.db from a backup, or choose another --data-dir.',
  );

/** Up to this size the whole file is checked at every start; a full check of 1 GB takes seconds. */
const FULL_CHECK_BYTES = 64 * 1024 * 1024;
/** In a larger file, tables are checked one by one until this much time is spent, so every command stays quick. */
const CHECK_BUDGET_MS = 300;

/**
 * SQLite's quick check before anything else touches the file: a damaged page otherwise goes unnoticed until a query
 * happens to read it, and new records would be written into the damaged file. quick_check skips the index-content
 * cross-check of integrity_check and stops at the first problem it finds. A large file (bulk CloudTrail events) is
 * checked table by table in the order the tables were made, the record's own (incidents, ledger, evidence) first,
 * until the time budget is spent; a table left out is checked at a later start only if time allows.
 */
function checkIntact(db: Db, path: string, size: number): void {
  const findings = (arg: string) =>
    (db.pragma(`quick_check(${arg})`) as { quick_check: string }[])
      .flatMap((r) => r.quick_check.split('\n'))
      .filter((line) => !line.startsWith('*** in database'))
      .join('; ');
  if (size <= FULL_CHECK_BYTES) {
    const finding = findings('1');
    if (finding !== 'ok') throw damaged(path, finding);
    return;
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage").pluck().all() as string[];
  const started = performance.now();
  for (const table of tables) {
    if (performance.now() - started > CHECK_BUDGET_MS) return;
    const finding = findings(`"${table.replaceAll('"', '""')}"`);
    if (finding !== 'ok') throw damaged(path, `table ${table}: ${finding}`);
  }
}

interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
}

/** Applies pending migrations in one transaction after checking every applied one is known and unchanged. */
export function migrate(db: Db, migrations: readonly Migration[], where: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.prepare('SELECT id, name, checksum FROM schema_migrations ORDER BY id').all() as AppliedMigration[];
  const known = new Map(migrations.map((m) => [m.id, m]));
  for (const a of applied) {
    const m = known.get(a.id);
    if (!m) {
      throw new FirebreakError(
        'unavailable',
        `${where} was written by a newer Firebreak: migration ${a.id} (${a.name}) is unknown to this version. ` +
          'Use the newer version; the database was not changed.',
      );
    }
    const checksum = migrationChecksum(m);
    if (checksum !== a.checksum) {
      throw new FirebreakError(
        'unavailable',
        `Migration ${a.id} (${a.name}) has been edited since it was applied to ${where} ` +
          `(recorded ${a.checksum.slice(0, 12)}, now ${checksum.slice(0, 12)}). ` +
          'Applied migrations are append-only: restore it and add a new migration. The database was not changed.',
      );
    }
  }
  const done = new Set(applied.map((a) => a.id));
  const pending = [...migrations].filter((m) => !done.has(m.id)).sort((a, b) => a.id - b.id);
  if (pending.length === 0) return;
  const record = db.prepare('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.id, m.name, migrationChecksum(m), new Date().toISOString());
    }
  })();
}
