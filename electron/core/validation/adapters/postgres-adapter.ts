import type { ClientConfig } from 'pg';
import type { TableCheck, TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import { type TableRef, type RowAdapter, cancelledError, throwIfAborted } from './adapter';
import { formatChecksum } from './canonical';
import { type BucketRow, type BucketSums, type KeyedHashSpec, addToBucket, emptySums, pickColumns, toUnsigned64 } from './keyed-hash';
import { PG_RANGE_TYPES, type PgKeyedTable, pgBucketRowsQuery, pgBucketSumsQuery, pgDistinctQuery, pgKeyRangeQuery, pgSampleQuery } from './postgres-diff-sql';
import { describeConnectError, describeTableError } from './connect-errors';
import { listPostgresObjects } from './postgres-objects';
import { PG_SESSION_SETTINGS, type PgColumn, type PgDialect, pgChecksumQuery, pgCountQuery } from './postgres-sql';
import type { ServerTarget } from './target-url';
import { pgSsl } from './tls';

const TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
  -- tables an extension owns (e.g. PostGIS spatial_ref_sys) are not the application's data
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

const COLUMNS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable, bt.typname::text AS base, bt.typcategory::text AS category
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN LATERAL (
  WITH RECURSIVE b AS (
    SELECT t.oid, t.typname, t.typtype, t.typbasetype, t.typcategory FROM pg_type t WHERE t.oid = a.atttypid
    UNION ALL
    SELECT t.oid, t.typname, t.typtype, t.typbasetype, t.typcategory FROM pg_type t JOIN b ON t.oid = b.typbasetype WHERE b.typtype = 'd'
  ) SELECT typname, typcategory FROM b WHERE typtype <> 'd' LIMIT 1
) bt ON true
WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum`;

const KEYS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, con.contype::text AS kind,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
  fn.nspname || '.' || fc.relname AS references,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f') AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

interface ColumnRow extends PgColumn {
  schema: string;
  table: string;
}

interface KeyRow {
  schema: string;
  table: string;
  kind: 'p' | 'u' | 'f';
  columns: string[];
  references: string | null;
  ref_columns: string[];
}

const displayOf = (schema: string, name: string) => `${schema}.${name}`;
/** Drilled rows read in one statement rather than through a cursor: about 20 MB of rows at most. */
const IN_ONE_STATEMENT = 100_000;
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function clientConfig(t: ServerTarget): ClientConfig {
  const ssl = pgSsl(t);
  return {
    host: t.socketDir ?? t.host,
    port: t.port,
    user: t.user,
    database: t.database,
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(ssl ? { ssl } : {}),
    connectionTimeoutMillis: t.connectTimeoutMs + 1000,
    application_name: 'firebreak-validation',
    // Belt and braces: even a statement outside our READ ONLY transaction could not write.
    options: '-c default_transaction_read_only=on',
  };
}

export async function openPostgres(t: ServerTarget): Promise<RowAdapter> {
  // Loaded here, not at the top: commands that never validate a PostgreSQL database start without node-postgres.
  const { Client } = await import('pg');
  const client = new Client(clientConfig(t));
  // A dropped connection must surface as the failure of the running query, not crash the process.
  client.on('error', () => {});
  // Our own deadline, so a silent host is reported as such whatever node-postgres calls the dropped socket.
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    void client.end().catch(() => {});
  }, t.connectTimeoutMs);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw describeConnectError(timedOut ? { code: 'ETIMEDOUT' } : e, t);
  } finally {
    clearTimeout(deadline);
  }
  const secrets = [t.password];
  let info: { version: string; num: string; encoding: string; pid: number };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const s of PG_SESSION_SETTINGS) await client.query(s);
    const r = await client.query(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_setting('server_encoding') AS encoding, pg_backend_pid() AS pid",
    );
    info = r.rows[0] as typeof info;
  } catch (e) {
    await client.end().catch(() => {});
    throw describeConnectError(e, t);
  }
  const dialect: PgDialect = { utf8: info.encoding === 'UTF8' || info.encoding === 'SQL_ASCII', trimScale: Number(info.num) >= 130000 };
  const columnsByTable = new Map<string, PgColumn[]>();

  /** Cancels the running statement through a second connection (a cancel request needs no transaction). */
  const cancelRunning = async () => {
    const side = new Client(clientConfig(t));
    side.on('error', () => {});
    try {
      await side.connect();
      await side.query('SELECT pg_cancel_backend($1)', [info.pid]);
    } catch {
      // If the cancel cannot be delivered, the query finishes and its result is discarded.
    } finally {
      await side.end().catch(() => {});
    }
  };

  /** One statement in a savepoint, so a table we may not read leaves the transaction usable for the next one. */
  const inSavepoint = async <T>(table: string, sql: string, signal: AbortSignal | undefined): Promise<T[]> => {
    throwIfAborted(signal);
    await client.query('SAVEPOINT firebreak_table');
    const onAbort = () => void cancelRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // A cancel that arrived while the savepoint was being set would otherwise go unheard.
      throwIfAborted(signal);
      const r = await client.query(sql);
      await client.query('RELEASE SAVEPOINT firebreak_table');
      return r.rows as T[];
    } catch (e) {
      await client.query('ROLLBACK TO SAVEPOINT firebreak_table').catch(() => {});
      if (signal?.aborted || (e as { code?: string }).code === '57014') throw cancelledError();
      throw describeTableError(e, table, secrets);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const loadColumns = async (tables: readonly TableRef[]) => {
    const r = await client.query(COLUMNS_SQL, [tables.map((x) => x.schema ?? 'public'), tables.map((x) => x.name)]);
    for (const t of tables) columnsByTable.set(t.display, []);
    for (const row of r.rows as ColumnRow[]) columnsByTable.get(displayOf(row.schema, row.table))?.push(row);
  };

  /**
   * Rows of one statement through a cursor, a batch at a time, so a result of millions of rows never sits in memory.
   * The cursor lives in a savepoint: a table we may not read leaves the snapshot usable.
   */
  async function* cursorRows<T>(table: string, sql: string, signal: AbortSignal | undefined): AsyncGenerator<T[]> {
    throwIfAborted(signal);
    await client.query('SAVEPOINT firebreak_cursor');
    const onAbort = () => void cancelRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    try {
      await client.query(`DECLARE firebreak_diff NO SCROLL CURSOR FOR ${sql}`);
      for (;;) {
        throwIfAborted(signal);
        const r = await client.query('FETCH 10000 FROM firebreak_diff');
        if (r.rows.length === 0) break;
        yield r.rows as T[];
      }
      await client.query('CLOSE firebreak_diff');
      await client.query('RELEASE SAVEPOINT firebreak_cursor');
      done = true;
    } catch (e) {
      if (signal?.aborted || (e as { code?: string }).code === '57014') throw cancelledError();
      throw describeTableError(e, table, secrets);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Also when the consumer stopped early: the cursor goes with its savepoint.
      if (!done) await client.query('ROLLBACK TO SAVEPOINT firebreak_cursor').catch(() => {});
    }
  }

  /** A table's side of a diff, its columns picked by name in the order the spec gives. */
  const keyedTable = async (table: TableRef, spec: KeyedHashSpec): Promise<PgKeyedTable> => {
    const via = spec.carryVia ?? [];
    const last = via[via.length - 1]?.table;
    const unknown = [table, ...(last ? [last] : [])].filter((x) => !columnsByTable.has(x.display));
    if (unknown.length) await loadColumns(unknown);
    const carryFrom = last ? { columns: columnsByTable.get(last.display) ?? [], table: last.display } : undefined;
    const picked = pickColumns(columnsByTable.get(table.display) ?? [], spec, table.display, carryFrom);
    const hops = via.map((h) => ({ schema: h.table.schema ?? 'public', table: h.table.name, from: h.from, to: h.to }));
    return { schema: table.schema ?? 'public', table: table.name, ...picked, via: hops, spec, d: dialect };
  };

  return {
    engine: 'postgresql',
    serverVersion: info.version,
    display: t.display,
    database: t.database,

    async listTables(schemas) {
      const r = await client.query(TABLES_SQL, [schemas && schemas.length ? [...schemas] : null]);
      return (r.rows as Array<{ schema: string; name: string }>)
        .map((x) => ({ schema: x.schema, name: x.name, display: displayOf(x.schema, x.name) }))
        .sort((a, b) => byCodeUnit(a.display, b.display));
    },

    async describe(tables) {
      await loadColumns(tables);
      const keys = await client.query(KEYS_SQL, [tables.map((x) => x.schema ?? 'public'), tables.map((x) => x.name)]);
      const out = new Map<string, TableDefinition>();
      for (const t of tables) {
        out.set(t.display, {
          columns: (columnsByTable.get(t.display) ?? []).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
          primaryKey: [],
          uniqueKeys: [],
          foreignKeys: [],
        });
      }
      for (const k of keys.rows as KeyRow[]) {
        const def = out.get(displayOf(k.schema, k.table));
        if (!def) continue;
        if (k.kind === 'p') def.primaryKey = k.columns;
        else if (k.kind === 'u') def.uniqueKeys.push(k.columns);
        else def.foreignKeys.push({ columns: k.columns, references: k.references ?? '', referencedColumns: k.ref_columns });
      }
      for (const def of out.values()) {
        def.uniqueKeys.sort((a, b) => byCodeUnit(a.join('\u0000'), b.join('\u0000')));
        def.foreignKeys.sort((a, b) => byCodeUnit(a.columns.join('\u0000') + a.references, b.columns.join('\u0000') + b.references));
      }
      return out;
    },

    async measure(table, o) {
      const schema = table.schema ?? 'public';
      if (!o.checksum) {
        const [row] = await inSavepoint<{ n: string }>(table.display, pgCountQuery(schema, table.name), o.signal);
        return { rows: Number(row?.n ?? 0), checksum: null };
      }
      if (!columnsByTable.has(table.display)) await loadColumns([table]);
      const columns = columnsByTable.get(table.display) ?? [];
      const [row] = await inSavepoint<{ n: string; s: string }>(table.display, pgChecksumQuery(schema, table.name, columns, dialect), o.signal);
      return { rows: Number(row?.n ?? 0), checksum: formatChecksum(BigInt(row?.s ?? '0')) };
    },

    async bucketSums(table, spec, signal): Promise<BucketSums> {
      const out = emptySums(spec.bits);
      const sql = pgBucketSumsQuery(await keyedTable(table, spec));
      // Enough memory for the hash aggregate of 65,536 groups, so it never spills to disk (this transaction only).
      await client.query("SET LOCAL work_mem = '64MB'");
      // One plain statement, not a cursor: PostgreSQL never plans a cursor in parallel, and at most 65,536 rows come back.
      for (const r of await inSavepoint<{ b: number; n: number; s: string }>(table.display, sql, signal)) addToBucket(out, r.b, r.n, BigInt(r.s));
      return out;
    },

    async *bucketRows(table, spec, buckets, signal, expectedRows): AsyncGenerator<BucketRow> {
      const t = await keyedTable(table, spec);
      const sql = pgBucketRowsQuery(t, buckets);
      const width = t.key?.length ?? 0;
      // A small drill in one statement (parallel scan); a large one through a cursor, a batch at a time.
      const batches =
        expectedRows !== undefined && expectedRows <= IN_ONE_STATEMENT
          ? (async function* () {
              yield await inSavepoint<Record<string, string | number | null>>(table.display, sql, signal);
            })()
          : cursorRows<Record<string, string | number | null>>(table.display, sql, signal);
      for await (const batch of batches) {
        for (const r of batch) {
          const k: Array<string | null> = [];
          for (let i = 0; i < width; i++) k.push((r[`k${i}`] as string | null) ?? null);
          const c = t.carry.map((_, i) => (r[`c${i}`] as string | null) ?? null);
          yield { bucket: Number(r.b), hash: toUnsigned64(String(r.h)), key: k, carried: c };
        }
      }
    },

    async keyRange(table, key, signal) {
      const { key: cols } = await keyedTable(table, { columns: [], key: [key], bits: 0 });
      const col = cols?.[0];
      if (!col || !PG_RANGE_TYPES.has(col.base)) return 'unsupported';
      const [row] = await inSavepoint<{ lo: string | null; hi: string | null }>(table.display, pgKeyRangeQuery(table.schema ?? 'public', table.name, col), signal);
      return row?.lo == null || row.hi == null ? null : { min: BigInt(row.lo), max: BigInt(row.hi) };
    },

    async sampleValues(table, names, limit, signal) {
      const { columns } = await keyedTable(table, { columns: names, key: null, bits: 0 });
      const rows = await inSavepoint<Record<string, string | null>>(table.display, pgSampleQuery(table.schema ?? 'public', table.name, columns, dialect, limit), signal);
      return rows.map((r) => columns.map((_, i) => r[`v${i}`] ?? null));
    },

    async distinctCount(table, names, signal, via) {
      const t = await keyedTable(table, { columns: [], key: null, bits: 0, carry: names, carryVia: via ?? [] });
      const [row] = await inSavepoint<{ n: string }>(table.display, pgDistinctQuery(t.schema, t.table, t.carry, t.via), signal);
      return Number(row?.n ?? 0);
    },

    async integrityCheck(tables, signal) {
      const checksums = await client.query('SHOW data_checksums').then((r) => (r.rows[0] as { data_checksums: string }).data_checksums);
      const results: TableCheck[] = [];
      for (const table of tables) {
        try {
          const [row] = await inSavepoint<{ n: string }>(table.display, pgCountQuery(table.schema ?? 'public', table.name), signal);
          results.push({ table: table.display, status: 'ok', messages: [`${row?.n ?? 0} rows read`] });
        } catch (e) {
          if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
          results.push({ table: table.display, status: 'error', messages: [(e as Error).message] });
        }
      }
      return {
        method: 'postgresql-read-through',
        messages: [
          'PostgreSQL has no built-in whole-database check: every table was read through (count(*) reads every heap page).',
          checksums === 'on'
            ? 'data_checksums is on, so a damaged page fails its read.'
            : 'data_checksums is off: only pages too damaged to read are detected. Use pg_amcheck for indexes and heap.',
        ],
        tables: results,
      };
    },

    async listObjects(schemas) {
      return listPostgresObjects(async (sql, params) => (await client.query(sql, params)).rows as Array<Record<string, unknown>>, schemas);
    },

    async close() {
      await client.query('ROLLBACK').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
