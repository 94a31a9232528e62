import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import { type MeasureOptions, type TableMeasure, type TableRef, type RowAdapter, quoteDouble, throwIfAborted } from './adapter';
import { ChecksumAccumulator, type SqliteAffinity, sqliteAffinity, sqliteCanonical } from './canonical';
import { listSqliteObjects } from './sqlite-objects';
import { sqliteKeyedReader } from './sqlite-keyed';
import type { SqliteTarget } from './target-url';

const SQLITE_HEADER = 'SQLite format 3\u0000';
/** Rows between checks for cancellation and yields to the event loop, so a long scan never freezes the app. */
const YIELD_EVERY = 5000;

interface XInfoRow {
  name: string;
  type: string;
  notnull: number;
  pk: number;
  hidden: number;
}

const unavailable = (path: string, why: string) => new FirebreakError('unavailable', `The SQLite database ${path} ${why}.`);

/** Proves the file exists and is SQLite before better-sqlite3 sees it, for a message better than SQLITE_NOTADB. */
export function assertSqliteFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw unavailable(path, 'is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw unavailable(path, code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read: permission denied' : `cannot be read (${code})`);
  }
  if (size === 0) throw unavailable(path, 'is empty (0 bytes)');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_HEADER) throw unavailable(path, 'is not an SQLite database (its header is not "SQLite format 3")');
  } finally {
    closeSync(fd);
  }
}

/** Opens the file read-only (and query_only), inside one read transaction so every table is read from one snapshot. */
export function openSqlite(target: SqliteTarget, o: { nativeBinding?: string | undefined } = {}): RowAdapter {
  assertSqliteFile(target.path);
  let db: Database.Database;
  try {
    db = new Database(target.path, { readonly: true, fileMustExist: true, ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}) });
    db.pragma('query_only = ON');
    db.exec('BEGIN');
  } catch (e) {
    throw unavailable(target.path, `cannot be opened read-only (${(e as Error).message})`);
  }
  const serverVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const columnsOf = (name: string) =>
    (db.prepare('SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid').all(name) as XInfoRow[])
      // hidden = 1 marks the invisible columns of virtual tables; generated columns (2, 3) hold data and are read.
      .filter((c) => c.hidden !== 1);
  const readError = (table: string, e: unknown) =>
    new FirebreakError('unavailable', `Table ${table} cannot be read: ${(e as Error).message}`);

  const keyed = sqliteKeyedReader(db, columnsOf);

  return {
    engine: 'sqlite',
    serverVersion,
    display: target.display,
    database: target.path,

    async listTables(schemas) {
      if (schemas?.some((s) => s !== 'main')) {
        throw new FirebreakError('bad-input', `An SQLite database has only the schema "main"; got ${schemas.join(', ')}.`);
      }
      const rows = db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
        )
        .all() as Array<{ name: string; sql: string | null }>;
      return rows
        .filter((r) => !/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? ''))
        .map((r) => ({ schema: null, name: r.name, display: r.name }));
    },

    async describe(tables) {
      const out = new Map<string, TableDefinition>();
      for (const t of tables) {
        const cols = columnsOf(t.name);
        const primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
        const uniqueKeys = (db.prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND origin = \'u\'').all(t.name) as Array<{ name: string }>)
          .map((ix) => (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(ix.name) as Array<{ name: string | null }>).map((c) => c.name ?? '<expr>'))
          .sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));
        const fkRows = db.prepare('SELECT id, seq, "table" AS ref, "from" AS col, "to" AS refcol FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(t.name) as Array<{
          id: number;
          ref: string;
          col: string;
          refcol: string | null;
        }>;
        const fks = new Map<number, { columns: string[]; references: string; referencedColumns: string[] }>();
        for (const r of fkRows) {
          const fk = fks.get(r.id) ?? { columns: [], references: r.ref, referencedColumns: [] };
          fk.columns.push(r.col);
          fk.referencedColumns.push(r.refcol ?? '');
          fks.set(r.id, fk);
        }
        out.set(t.display, {
          columns: cols.map((c) => ({ name: c.name, type: c.type, nullable: c.notnull === 0 && c.pk === 0 })),
          primaryKey,
          uniqueKeys,
          foreignKeys: [...fks.values()].sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
        });
      }
      return out;
    },

    async measure(table: TableRef, o: MeasureOptions): Promise<TableMeasure> {
      throwIfAborted(o.signal);
      try {
        if (!o.checksum) {
          const r = db.prepare(`SELECT count(*) AS n FROM ${quoteDouble(table.name)}`).safeIntegers(true).get() as { n: bigint };
          return { rows: Number(r.n), checksum: null };
        }
        const cols = columnsOf(table.name);
        const affinities: SqliteAffinity[] = cols.map((c) => sqliteAffinity(c.type));
        const list = cols.length ? cols.map((c) => quoteDouble(c.name)).join(', ') : 'NULL';
        const stmt = db.prepare(`SELECT ${list} FROM ${quoteDouble(table.name)}`).raw(true).safeIntegers(true);
        const acc = new ChecksumAccumulator();
        const fields: Array<string | null> = new Array(cols.length);
        for (const row of stmt.iterate() as Iterable<unknown[]>) {
          for (let i = 0; i < cols.length; i++) fields[i] = sqliteCanonical(row[i], affinities[i] ?? 'blob');
          acc.addRow(fields);
          if (acc.rows % YIELD_EVERY === 0) {
            o.onRows?.(acc.rows);
            await new Promise<void>((r) => setImmediate(r));
            throwIfAborted(o.signal);
          }
        }
        return { rows: acc.rows, checksum: acc.checksum };
      } catch (e) {
        if (e instanceof FirebreakError) throw e;
        throw readError(table.display, e);
      }
    },

    bucketSums: keyed.bucketSums,
    bucketRows: keyed.bucketRows,
    sampleValues: keyed.sampleValues,
    distinctCount: keyed.distinctCount,
    keyRange: keyed.keyRange,

    async integrityCheck() {
      const rows = db.prepare('PRAGMA integrity_check(100)').all() as Array<{ integrity_check: string }>;
      const messages = rows.map((r) => r.integrity_check);
      return { method: 'sqlite-integrity-check', messages, tables: [] };
    },

    async listObjects() {
      return listSqliteObjects(db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger')").all() as Array<{ type: string; name: string; tbl_name: string; sql: string | null }>);
    },

    async close() {
      if (db.open) {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      }
    },
  };
}
