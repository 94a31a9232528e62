import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { FirebreakError } from '../../errors';
import { type TableRef, quoteDouble, throwIfAborted } from './adapter';
import { type SqliteAffinity, fieldText, sqliteAffinity, sqliteCanonical } from './canonical';
import { type BucketRow, type BucketSums, type JoinHop, type KeyRange, type KeyedHashSpec, addToBucket, emptySums, hopAlias, pickColumns } from './keyed-hash';

/**
 * The row-level diff's buckets and row hashes for SQLite, computed here (SQLite has no md5): the same values
 * postgres-diff-sql.ts and mysql-diff-sql.ts compute in their servers.
 */

const YIELD_EVERY = 5000;
/** Buckets read per pass when drilling: bounds the rows held at once to about this many buckets' worth. */
const BUCKETS_PER_PASS = 25_000;

interface Column {
  name: string;
  type: string;
}

type HashedRow = BucketRow;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest();

/** `JOIN x AS p1 ON p1.to = t.from ...` for each foreign-key step: LEFT when every row must stay (the drill). */
function sqliteJoins(via: readonly JoinHop[], kind: 'LEFT JOIN' | 'JOIN'): string {
  return via
    .map((h, i) => {
      const prev = i === 0 ? 't' : hopAlias(i - 1);
      const on = h.to.map((c, j) => `${hopAlias(i)}.${quoteDouble(c)} = ${prev}.${quoteDouble(h.from[j] ?? '')}`).join(' AND ');
      return ` ${kind} ${quoteDouble(h.table.name)} AS ${hopAlias(i)} ON ${on}`;
    })
    .join('');
}

export function sqliteKeyedReader(db: Database.Database, columnsOf: (table: string) => Column[]) {
  const plan = (table: TableRef, spec: KeyedHashSpec) => {
    const all = columnsOf(table.name);
    const index = (n: string) => {
      const i = all.findIndex((c) => c.name === n);
      if (i < 0) throw new FirebreakError('unavailable', `Table ${table.display} has no column "${n}".`);
      return i;
    };
    const cols = spec.columns.map(index);
    const keys = spec.key ? spec.key.map(index) : null;
    const affinities: SqliteAffinity[] = all.map((c) => sqliteAffinity(c.type));
    const list = all.length ? all.map((c) => `t.${quoteDouble(c.name)}`).join(', ') : 'NULL';
    // Carried through foreign keys: the last step's columns, read by LEFT JOINs after the table's own columns.
    const via = spec.carryVia ?? [];
    const last = via[via.length - 1]?.table;
    let carry: number[];
    let joined = '';
    if (last && spec.carry?.length) {
      const lastCols = columnsOf(last.name);
      const picked = pickColumns(all, { columns: [], key: null, bits: 0, carry: spec.carry }, table.display, { columns: lastCols, table: last.display }).carry;
      carry = picked.map((_, i) => all.length + i);
      for (const c of picked) affinities.push(sqliteAffinity(c.type));
      joined = `, ${picked.map((c) => `${hopAlias(via.length - 1)}.${quoteDouble(c.name)}`).join(', ')}`;
    } else carry = (spec.carry ?? []).map(index);
    const joins = joined ? sqliteJoins(via, 'LEFT JOIN') : '';
    const stmt = db.prepare(`SELECT ${list}${joined} FROM ${quoteDouble(table.name)} AS t${joins}`).raw(true).safeIntegers(true);
    const shift = 32 - spec.bits;
    // Range buckets only over a key keyRange() found to hold integers alone.
    const range = spec.range && keys?.length === 1 ? spec.range : null;
    const hashRow = (row: unknown[], withKey: boolean): HashedRow => {
      let text = '';
      for (const i of cols) text += fieldText(sqliteCanonical(row[i], affinities[i] ?? 'blob'));
      const rowMd5 = md5(text);
      const hash = rowMd5.readBigUInt64BE(0);
      const carried = withKey ? carry.map((i) => sqliteCanonical(row[i], affinities[i] ?? 'blob')) : [];
      if (keys === null) return { bucket: spec.bits === 0 ? 0 : rowMd5.readUInt32BE(0) >>> shift, hash, key: [], carried };
      const key = keys.map((i) => sqliteCanonical(row[i], affinities[i] ?? 'blob'));
      if (range) return { bucket: Number((BigInt(row[keys[0] ?? 0] as bigint) - range.lo) / range.width), hash, key: withKey ? key : [], carried };
      let keyText = '';
      for (const k of key) keyText += fieldText(k);
      return { bucket: spec.bits === 0 ? 0 : md5(keyText).readUInt32BE(0) >>> shift, hash, key: withKey ? key : [], carried };
    };
    return { stmt, hashRow };
  };

  const readError = (table: TableRef, e: unknown) =>
    e instanceof FirebreakError ? e : new FirebreakError('unavailable', `Table ${table.display} cannot be read: ${(e as Error).message}`);

  /** Every row, hashed, yielding to the event loop now and then so a long scan can be cancelled. */
  async function* scan(table: TableRef, spec: KeyedHashSpec, withKey: boolean, signal: AbortSignal | undefined): AsyncGenerator<HashedRow> {
    throwIfAborted(signal);
    let n = 0;
    try {
      const { stmt, hashRow } = plan(table, spec);
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        yield hashRow(row, withKey);
        if (++n % YIELD_EVERY === 0) {
          await new Promise<void>((r) => setImmediate(r));
          throwIfAborted(signal);
        }
      }
    } catch (e) {
      throw readError(table, e);
    }
  }

  return {
    async sampleValues(table: TableRef, names: readonly string[], limit: number, signal?: AbortSignal): Promise<Array<Array<string | null>>> {
      throwIfAborted(signal);
      try {
        const cols = pickColumns(columnsOf(table.name), { columns: names, key: null, bits: 0 }, table.display).columns;
        if (!cols.length) return [];
        const stmt = db.prepare(`SELECT ${cols.map((c) => quoteDouble(c.name)).join(', ')} FROM ${quoteDouble(table.name)} LIMIT ?`).raw(true).safeIntegers(true);
        return (stmt.all(Math.trunc(limit)) as unknown[][]).map((row) => cols.map((c, i) => sqliteCanonical(row[i], sqliteAffinity(c.type))));
      } catch (e) {
        throw readError(table, e);
      }
    },

    /** Range buckets need every key to be an integer: SQLite's typing would let a text or real key in. */
    async keyRange(table: TableRef, key: string, signal?: AbortSignal): Promise<KeyRange | null | 'unsupported'> {
      throwIfAborted(signal);
      try {
        const k = quoteDouble(key);
        const r = db
          .prepare(`SELECT min(${k}) AS lo, max(${k}) AS hi, count(*) - count(CASE WHEN typeof(${k}) = 'integer' THEN 1 END) AS other FROM ${quoteDouble(table.name)}`)
          .safeIntegers(true)
          .get() as { lo: unknown; hi: unknown; other: bigint };
        if (r.other > 0n) return 'unsupported';
        return typeof r.lo === 'bigint' && typeof r.hi === 'bigint' ? { min: r.lo, max: r.hi } : null;
      } catch (e) {
        throw readError(table, e);
      }
    },

    async distinctCount(table: TableRef, names: readonly string[], signal?: AbortSignal, via: readonly JoinHop[] = []): Promise<number> {
      throwIfAborted(signal);
      try {
        const alias = via.length ? hopAlias(via.length - 1) : 't';
        const cols = names.map((n) => `${alias}.${quoteDouble(n)}`);
        const r = db
          .prepare(
            `SELECT count(*) AS n FROM (SELECT DISTINCT ${cols.join(', ')} FROM ${quoteDouble(table.name)} AS t${sqliteJoins(via, 'JOIN')} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')})`,
          )
          .safeIntegers(true)
          .get() as { n: bigint };
        return Number(r.n);
      } catch (e) {
        throw readError(table, e);
      }
    },

    async bucketSums(table: TableRef, spec: KeyedHashSpec, signal?: AbortSignal): Promise<BucketSums> {
      const out = emptySums(spec.bits);
      for await (const r of scan(table, spec, false, signal)) addToBucket(out, r.bucket, 1, r.hash);
      return out;
    },

    async *bucketRows(table: TableRef, spec: KeyedHashSpec, buckets: readonly number[] | null, signal?: AbortSignal): AsyncGenerator<BucketRow> {
      const wanted = buckets ? [...buckets].sort((a, b) => a - b) : Array.from({ length: 1 << spec.bits }, (_, i) => i);
      // One pass per window of buckets, each sorted here: memory holds one window's rows, never the table.
      for (let start = 0; start < wanted.length; start += BUCKETS_PER_PASS) {
        const window = new Set(wanted.slice(start, start + BUCKETS_PER_PASS));
        const rows: HashedRow[] = [];
        for await (const r of scan(table, spec, true, signal)) if (window.has(r.bucket)) rows.push(r);
        rows.sort((a, b) => a.bucket - b.bucket);
        yield* rows;
      }
    },
  };
}
