import { quoteDouble } from './adapter';
import { type KeyedHashSpec, bucketList, hopAlias, keyRangesOf } from './keyed-hash';
import { type PgColumn, type PgDialect, pgCanonicalExpr, pgRowText } from './postgres-sql';

/**
 * SQL for the row-level diff on PostgreSQL (see keyed-hash.ts): the bucket of each row from md5 of its key text, its
 * row hash from md5 of its row text (firebreak-rowsum-md5-v1), both computed in the server.
 */

const md5Of = (text: string, d: PgDialect) => (d.utf8 ? `md5(${text})` : `md5(convert_to(${text}, 'UTF8'))`);
const bucketOf = (md5: string, bits: number) => (bits === 0 ? '0' : `(('x' || left(${md5}, 8))::bit(32)::bigint >> ${32 - bits})::int`);
const hashOf = (md5: string) => `('x' || left(${md5}, 16))::bit(64)::bigint`;

/** One table's side of a diff: its compared, key and carried columns as this server describes them. */
export interface PgKeyedTable {
  schema: string;
  table: string;
  columns: readonly PgColumn[];
  key: readonly PgColumn[] | null;
  carry: readonly PgColumn[];
  /** The foreign-key steps to the table holding `carry` (none: the table's own columns). */
  via: readonly PgHop[];
  spec: KeyedHashSpec;
  d: PgDialect;
}

/** A foreign-key step to a table, as in JoinHop, with the schema spelled out. */
export interface PgHop {
  schema: string;
  table: string;
  from: readonly string[];
  to: readonly string[];
}

/** `JOIN ONLY s.x AS p1 ON p1.to = t.from ...` for each step: LEFT when every row must stay (the drill). */
export function pgJoins(via: readonly PgHop[], kind: 'LEFT JOIN' | 'JOIN'): string {
  return via
    .map((h, i) => {
      const prev = i === 0 ? 't' : hopAlias(i - 1);
      const on = h.to.map((c, j) => `${hopAlias(i)}.${quoteDouble(c)} = ${prev}.${quoteDouble(h.from[j] ?? '')}`).join(' AND ');
      return ` ${kind} ONLY ${quoteDouble(h.schema)}.${quoteDouble(h.table)} AS ${hopAlias(i)} ON ${on}`;
    })
    .join('');
}

const carryAlias = (via: readonly unknown[]) => (via.length ? hopAlias(via.length - 1) : 't');

/** `t.k BETWEEN a AND z OR ...`: the key ranges of a drill, which PostgreSQL reads through the key's index. */
const rangeWhere = (k: string, ranges: ReadonlyArray<readonly [bigint, bigint]>) =>
  ` WHERE ${ranges.map(([a, z]) => (a === z ? `${k} = ${a}` : `${k} BETWEEN ${a} AND ${z}`)).join(' OR ')}`;

function inner({ schema, table, columns, key, carry, via, spec, d }: PgKeyedTable, withKey: boolean, ranges: ReadonlyArray<readonly [bigint, bigint]> | null = null) {
  const rowMd5 = md5Of(pgRowText(columns, d), d);
  const joins = withKey && carry.length ? pgJoins(via, 'LEFT JOIN') : '';
  const k0 = key?.[0] ? `t.${quoteDouble(key[0].name)}` : null;
  const where = ranges && k0 ? rangeWhere(k0, ranges) : '';
  const from = `FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t${joins}${where}`;
  const carried = withKey ? carry.map((c, i) => `, ${pgCanonicalExpr(c, d, carryAlias(via))} AS c${i}`).join('') : '';
  if (key === null) {
    // One md5 per row: the row hash is also the key.
    const names = withKey ? carry.map((_, i) => `, c${i}`).join('') : '';
    return `SELECT ${bucketOf('m', spec.bits)} AS b, ${hashOf('m')} AS h${names} FROM (SELECT ${rowMd5} AS m${carried} ${from}) AS r`;
  }
  const keys = withKey ? key.map((c, i) => `, ${pgCanonicalExpr(c, d)} AS k${i}`).join('') : '';
  // Range buckets: plain integer arithmetic on the key (exact in bigint, see rangeBuckets), no md5 of it.
  const bucket = spec.range && k0 ? `((${k0}::bigint - (${spec.range.lo})) / ${spec.range.width})::int` : bucketOf(md5Of(pgRowText(key, d), d), spec.bits);
  return `SELECT ${bucket} AS b, ${hashOf(rowMd5)} AS h${keys}${carried} ${from}`;
}

export function pgBucketSumsQuery(t: PgKeyedTable): string {
  return `SELECT b, count(*)::int AS n, sum(h)::text AS s FROM (${inner(t, false)}) AS x GROUP BY b`;
}

/**
 * The rows of the listed buckets (every row when null), ordered by bucket; a constant list is hashed by PostgreSQL 14+.
 * With range buckets the list is read as key ranges instead, through the key's index.
 */
export function pgBucketRowsQuery(t: PgKeyedTable, buckets: readonly number[] | null): string {
  if (buckets !== null && t.spec.range && t.key?.length === 1) {
    return `SELECT * FROM (${inner(t, true, keyRangesOf(buckets, t.spec.range))}) AS x ORDER BY b`;
  }
  const where = buckets === null ? '' : ` WHERE b IN (${bucketList(buckets)})`;
  return `SELECT * FROM (${inner(t, true)}) AS x${where} ORDER BY b`;
}

/** The smallest and largest key, through its index: the ends of range buckets. */
export function pgKeyRangeQuery(schema: string, table: string, key: PgColumn): string {
  const k = `t.${quoteDouble(key.name)}`;
  return `SELECT min(${k})::text AS lo, max(${k})::text AS hi FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t`;
}

/** Integer types PostgreSQL can bucket by key range. */
export const PG_RANGE_TYPES: ReadonlySet<string> = new Set(['int2', 'int4', 'int8']);

/** The canonical text of some columns for the first `limit` rows: values for classification, looked at and dropped. */
export function pgSampleQuery(schema: string, table: string, columns: readonly PgColumn[], d: PgDialect, limit: number): string {
  const list = columns.length ? columns.map((c, i) => `${pgCanonicalExpr(c, d)} AS v${i}`).join(', ') : 'NULL AS v0';
  return `SELECT ${list} FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t LIMIT ${Math.trunc(limit)}`;
}

/**
 * How many distinct non-null combinations of the columns there are: the data subjects a key names. With steps, the
 * columns are the last step's, reached by joins in the server (payment -> rental -> rental.customer_id).
 */
export function pgDistinctQuery(schema: string, table: string, columns: readonly PgColumn[], via: readonly PgHop[] = []): string {
  const alias = carryAlias(via);
  const cols = columns.map((c) => `${alias}.${quoteDouble(c.name)}`);
  return `SELECT count(*)::text AS n FROM (SELECT DISTINCT ${cols.join(', ')} FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t${pgJoins(via, 'JOIN')}
WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}) AS x`;
}
