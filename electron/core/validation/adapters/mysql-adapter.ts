import type { Connection as CoreConnection } from 'mysql2';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import type { TableCheck, TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';
import { type TableRef, type RowAdapter, cancelledError, quoteBacktick, throwIfAborted } from './adapter';
import { formatChecksum } from './canonical';
import { describeConnectError, describeTableError } from './connect-errors';
import { listMysqlObjects } from './mysql-objects';
import { type BucketRow, type BucketSums, type KeyedHashSpec, addToBucket, emptySums, pickColumns, toUnsigned64 } from './keyed-hash';
import { type MyKeyedTable, myBucketRowsQuery, myBucketSumsQuery, myDistinctQuery, myKeyRangeQuery, myRangeKey, mySampleQuery } from './mysql-diff-sql';
import { type MyColumn, OVERSIZE_SENTINEL, myChecksumQuery, myCountQuery } from './mysql-sql';
import type { ServerTarget } from './target-url';
import { mysqlSsl } from './tls';

interface ColumnRow {
  table: string;
  name: string;
  columnType: string;
  dataType: string;
  nullable: string;
  precision: string | number | null;
  scale: string | number | null;
  datetimePrecision: string | number | null;
  charset: string | null;
}

interface KeyRow {
  table: string;
  kind: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY';
  constraintName: string;
  column: string;
  refSchema: string | null;
  refTable: string | null;
  refColumn: string | null;
}

/** InnoDB checks without writing; MyISAM and Aria record the check in the table header, so they are skipped. */
const READ_ONLY_CHECK_ENGINES = new Set(['innodb']);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const num = (v: string | number | null) => (v === null ? null : Number(v));

export function connectionOptions(t: ServerTarget): ConnectionOptions {
  const ssl = mysqlSsl(t);
  return {
    host: t.host,
    port: t.port,
    user: t.user,
    database: t.database,
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(ssl ? { ssl } : {}),
    connectTimeout: t.connectTimeoutMs,
    charset: 'UTF8MB4_GENERAL_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
  };
}

export async function openMysql(t: ServerTarget): Promise<RowAdapter> {
  // Loaded here, not at the top: commands that never validate a MySQL database start without mysql2.
  const { createConnection } = await import('mysql2/promise');
  let conn: Connection;
  let deadline: NodeJS.Timeout | undefined;
  try {
    // Our own deadline on top of mysql2's, which covers only the TCP connect and not a stalled handshake.
    conn = await Promise.race([
      createConnection(connectionOptions(t)),
      new Promise<never>((_, reject) => (deadline = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), t.connectTimeoutMs))),
    ]);
  } catch (e) {
    throw describeConnectError(e, t);
  } finally {
    clearTimeout(deadline);
  }
  conn.on('error', () => {});
  const secrets = [t.password];
  let version: string;
  try {
    // Session settings only (nothing is written): UTC for TIMESTAMP columns, and every transaction read-only.
    await conn.query("SET time_zone = '+00:00'");
    await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    await conn.query('START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT');
    const [rows] = await conn.query('SELECT VERSION() AS v');
    version = (rows as Array<{ v: string }>)[0]?.v ?? '';
  } catch (e) {
    await conn.end().catch(() => {});
    throw describeConnectError(e, t);
  }
  const engine = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const columnsByTable = new Map<string, MyColumn[]>();

  const cancelRunning = async () => {
    let side: Connection | undefined;
    try {
      side = await createConnection(connectionOptions(t));
      // threadId comes from the server's handshake (an integer), not from any input.
      await side.query(`KILL QUERY ${Math.trunc(conn.threadId)}`);
    } catch {
      // If the kill cannot be delivered, the query finishes and its result is discarded.
    } finally {
      await side?.end().catch(() => {});
    }
  };

  const run = async <T>(table: string, sql: string, signal: AbortSignal | undefined): Promise<T[]> => {
    throwIfAborted(signal);
    const onAbort = () => void cancelRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const [rows] = await conn.query(sql);
      throwIfAborted(signal);
      return rows as T[];
    } catch (e) {
      if (signal?.aborted || (e as { errno?: number }).errno === 1317) throw cancelledError();
      throw describeTableError(e, table, secrets);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const loadColumns = async () => {
    const [rows] = await conn.query(
      `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS name, COLUMN_TYPE AS columnType, LOWER(DATA_TYPE) AS dataType,
              IS_NULLABLE AS nullable, NUMERIC_PRECISION AS \`precision\`, NUMERIC_SCALE AS scale,
              DATETIME_PRECISION AS datetimePrecision, CHARACTER_SET_NAME AS charset
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [t.database],
    );
    columnsByTable.clear();
    for (const r of rows as ColumnRow[]) {
      const list = columnsByTable.get(r.table) ?? [];
      list.push({
        name: r.name,
        columnType: r.columnType,
        dataType: r.dataType,
        nullable: r.nullable === 'YES',
        precision: num(r.precision),
        scale: num(r.scale),
        datetimePrecision: num(r.datetimePrecision),
        charset: r.charset,
      });
      columnsByTable.set(r.table, list);
    }
  };

  /** Rows of one statement as a stream (mysql2 pauses the socket while we work), so a large result never sits in memory. */
  async function* streamRows<T>(table: string, sql: string, signal: AbortSignal | undefined): AsyncGenerator<T> {
    throwIfAborted(signal);
    const onAbort = () => void cancelRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    // The promise wrapper keeps the callback connection, the one that can stream, as `connection` (not in its types).
    const core = (conn as unknown as { connection: CoreConnection }).connection;
    const rows = core.query(sql).stream({ highWaterMark: 1000 });
    try {
      for await (const row of rows) {
        throwIfAborted(signal);
        yield row as T;
      }
    } catch (e) {
      if (signal?.aborted || (e as { errno?: number }).errno === 1317) throw cancelledError();
      throw describeTableError(e, table, secrets);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      rows.destroy();
    }
  }

  /** A table's side of a diff, its columns picked by name in the order the spec gives. */
  const keyedTable = async (table: TableRef, spec: KeyedHashSpec): Promise<MyKeyedTable> => {
    if (!columnsByTable.has(table.name)) await loadColumns();
    const via = spec.carryVia ?? [];
    const last = via[via.length - 1]?.table;
    const carryFrom = last ? { columns: columnsByTable.get(last.name) ?? [], table: last.display } : undefined;
    const hops = via.map((h) => ({ table: h.table.name, from: h.from, to: h.to }));
    return { database: t.database, table: table.name, ...pickColumns(columnsByTable.get(table.name) ?? [], spec, table.display, carryFrom), via: hops, spec };
  };

  const oversized = (table: TableRef) =>
    new FirebreakError(
      'unavailable',
      `Table ${table.display}: some rows are larger than the server's max_allowed_packet, so their content cannot be hashed in the server; raise max_allowed_packet and run again.`,
    );

  return {
    engine,
    serverVersion: version,
    display: t.display,
    database: t.database,

    async listTables(schemas) {
      if (schemas?.some((s) => s !== t.database)) {
        throw new FirebreakError('bad-input', `A ${engine} URL names one database (${t.database}); other schemas cannot be chosen: ${schemas.join(', ')}.`);
      }
      const [rows] = await conn.query(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')",
        [t.database],
      );
      return (rows as Array<{ name: string }>)
        .map((r) => ({ schema: null, name: r.name, display: r.name }))
        .sort((a, b) => byCodeUnit(a.display, b.display));
    },

    async describe(tables) {
      await loadColumns();
      const [keyRows] = await conn.query(
        `SELECT k.TABLE_NAME AS \`table\`, tc.CONSTRAINT_TYPE AS kind, k.CONSTRAINT_NAME AS constraintName, k.COLUMN_NAME AS \`column\`,
                k.REFERENCED_TABLE_SCHEMA AS refSchema, k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refColumn
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.TABLE_CONSTRAINTS tc
           ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND tc.TABLE_NAME = k.TABLE_NAME
         WHERE k.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
        [t.database],
      );
      const out = new Map<string, TableDefinition>();
      const wanted = new Set(tables.map((x) => x.name));
      for (const x of tables) {
        out.set(x.display, {
          columns: (columnsByTable.get(x.name) ?? []).map((c) => ({ name: c.name, type: c.columnType, nullable: c.nullable })),
          primaryKey: [],
          uniqueKeys: [],
          foreignKeys: [],
        });
      }
      const grouped = new Map<string, KeyRow[]>();
      for (const k of keyRows as KeyRow[]) {
        if (!wanted.has(k.table)) continue;
        const key = `${k.table}\u0000${k.constraintName}`;
        grouped.set(key, [...(grouped.get(key) ?? []), k]);
      }
      for (const parts of grouped.values()) {
        const first = parts[0];
        const def = first && out.get(first.table);
        if (!first || !def) continue;
        const columns = parts.map((p) => p.column);
        if (first.kind === 'PRIMARY KEY') def.primaryKey = columns;
        else if (first.kind === 'UNIQUE') def.uniqueKeys.push(columns);
        else {
          const ref = first.refSchema && first.refSchema !== t.database ? `${first.refSchema}.${first.refTable}` : (first.refTable ?? '');
          def.foreignKeys.push({ columns, references: ref, referencedColumns: parts.map((p) => p.refColumn ?? '') });
        }
      }
      for (const def of out.values()) {
        def.uniqueKeys.sort((a, b) => byCodeUnit(a.join('\u0000'), b.join('\u0000')));
        def.foreignKeys.sort((a, b) => byCodeUnit(a.columns.join('\u0000') + a.references, b.columns.join('\u0000') + b.references));
      }
      return out;
    },

    async measure(table, o) {
      if (!o.checksum) {
        const [row] = await run<{ n: string }>(table.display, myCountQuery(t.database, table.name), o.signal);
        return { rows: Number(row?.n ?? 0), checksum: null };
      }
      if (!columnsByTable.has(table.name)) await loadColumns();
      const columns = columnsByTable.get(table.name);
      if (!columns?.length) throw new FirebreakError('unavailable', `Table ${table.display} has no columns this user may read.`);
      const [row] = await run<{ n: string; s: string | null }>(table.display, myChecksumQuery(t.database, table.name, columns), o.signal);
      const rows = Number(row?.n ?? 0);
      const sum = BigInt(row?.s ?? '0');
      const oversized = sum / OVERSIZE_SENTINEL;
      if (oversized > 0n) {
        throw new FirebreakError(
          'unavailable',
          `Table ${table.display}: ${oversized} of its ${rows} rows are larger than the server's max_allowed_packet, so their content cannot be checksummed in the server; raise max_allowed_packet and run again.`,
        );
      }
      return { rows, checksum: formatChecksum(sum) };
    },

    async bucketSums(table, spec, signal): Promise<BucketSums> {
      const out = emptySums(spec.bits);
      const sql = myBucketSumsQuery(await keyedTable(table, spec));
      for await (const r of streamRows<{ b: number | string; n: number | string; s: string }>(table.display, sql, signal)) {
        const sum = BigInt(r.s);
        if (sum >= OVERSIZE_SENTINEL) throw oversized(table);
        addToBucket(out, Number(r.b), Number(r.n), sum);
      }
      return out;
    },

    async *bucketRows(table, spec, buckets, signal): AsyncGenerator<BucketRow> {
      const keyed = await keyedTable(table, spec);
      const sql = myBucketRowsQuery(keyed, buckets);
      const width = keyed.key?.length ?? 0;
      const text = (v: string | number | Buffer | null | undefined) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
      for await (const r of streamRows<Record<string, string | number | Buffer | null>>(table.display, sql, signal)) {
        const hash = BigInt(String(r.h));
        if (hash >= OVERSIZE_SENTINEL) throw oversized(table);
        const k: Array<string | null> = [];
        for (let i = 0; i < width; i++) k.push(text(r[`k${i}`]));
        yield { bucket: Number(r.b), hash: toUnsigned64(hash.toString()), key: k, carried: keyed.carry.map((_, i) => text(r[`c${i}`])) };
      }
    },

    async keyRange(table, key, signal) {
      const { key: cols } = await keyedTable(table, { columns: [], key: [key], bits: 0 });
      const col = cols?.[0];
      if (!col || !myRangeKey(col)) return 'unsupported';
      const [row] = await run<{ lo: string | null; hi: string | null }>(table.display, myKeyRangeQuery(t.database, table.name, col), signal);
      return row?.lo == null || row.hi == null ? null : { min: BigInt(String(row.lo)), max: BigInt(String(row.hi)) };
    },

    async sampleValues(table, names, limit, signal) {
      const { columns } = await keyedTable(table, { columns: names, key: null, bits: 0 });
      const rows = await run<Record<string, string | Buffer | number | null>>(table.display, mySampleQuery(t.database, table.name, columns, limit), signal);
      return rows.map((r) =>
        columns.map((_, i) => {
          const v = r[`v${i}`];
          return v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
        }),
      );
    },

    async distinctCount(table, names, signal, via) {
      const k = await keyedTable(table, { columns: [], key: null, bits: 0, carry: names, carryVia: via ?? [] });
      const [row] = await run<{ n: string | number }>(table.display, myDistinctQuery(t.database, table.name, k.carry, k.via), signal);
      return Number(row?.n ?? 0);
    },

    async integrityCheck(tables, signal) {
      const [engineRows] = await conn.query('SELECT TABLE_NAME AS name, ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
        t.database,
      ]);
      const engines = new Map((engineRows as Array<{ name: string; engine: string | null }>).map((r) => [r.name, (r.engine ?? '').toLowerCase()]));
      const results: TableCheck[] = [];
      for (const table of tables) {
        const storage = engines.get(table.name) ?? '';
        if (!READ_ONLY_CHECK_ENGINES.has(storage)) {
          results.push({
            table: table.display,
            status: 'skipped',
            messages: [`${storage || 'unknown'} engine: CHECK TABLE would record its result in the table, and Firebreak never writes to the target.`],
          });
          continue;
        }
        try {
          const rows = await run<{ Msg_type: string; Msg_text: string }>(
            table.display,
            `CHECK TABLE ${quoteBacktick(t.database)}.${quoteBacktick(table.name)}`,
            signal,
          );
          const bad = rows.filter((r) => /error|warning/i.test(r.Msg_type) || (r.Msg_type === 'status' && r.Msg_text !== 'OK'));
          results.push({
            table: table.display,
            status: bad.length ? 'problem' : 'ok',
            messages: rows.map((r) => `${r.Msg_type}: ${r.Msg_text}`),
          });
        } catch (e) {
          if (e instanceof FirebreakError && e.code === 'cancelled') throw e;
          results.push({ table: table.display, status: 'error', messages: [(e as Error).message] });
        }
      }
      return { method: 'mariadb-check-table', messages: [], tables: results };
    },

    async listObjects() {
      return listMysqlObjects(async (sql, params) => (await conn.query(sql, params))[0] as Array<Record<string, unknown>>, t.database);
    },

    async close() {
      await conn.query('ROLLBACK').catch(() => {});
      await conn.end().catch(() => {});
    },
  };
}
