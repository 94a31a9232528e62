import { quoteBacktick } from './adapter';
import { type KeyedHashSpec, bucketList, hopAlias, keyRangesOf } from './keyed-hash';
import { type MyColumn, OVERSIZE_SENTINEL, myCanonicalExpr, myRowText } from './mysql-sql';

/** SQL for the row-level diff on MySQL/MariaDB: the same buckets and row hashes as postgres-diff-sql.ts. */

const bucketOf = (md5: string, bits: number) => (bits === 0 ? '0' : `(CAST(CONV(LEFT(${md5}, 8), 16, 10) AS UNSIGNED) >> ${32 - bits})`);
// A row larger than max_allowed_packet hashes to NULL; the sentinel makes its bucket differ and the caller say why.
const hashOf = (md5: string) => `IFNULL(CAST(CONV(LEFT(${md5}, 16), 16, 10) AS UNSIGNED), ${OVERSIZE_SENTINEL})`;

/** One table's side of a diff: its compared, key and carried columns as this server describes them. */
export interface MyKeyedTable {
  database: string;
  table: string;
  columns: readonly MyColumn[];
  key: readonly MyColumn[] | null;
  carry: readonly MyColumn[];
  /** The foreign-key steps to the table holding `carry` (none: the table's own columns). */
  via: readonly MyHop[];
  spec: KeyedHashSpec;
}

/** A foreign-key step to a table of the same database, as in JoinHop. */
export interface MyHop {
  table: string;
  from: readonly string[];
  to: readonly string[];
}

/** `JOIN db.x AS p1 ON p1.to = t.from ...` for each step: LEFT when every row must stay (the drill). */
export function myJoins(database: string, via: readonly MyHop[], kind: 'LEFT JOIN' | 'JOIN'): string {
  return via
    .map((h, i) => {
      const prev = i === 0 ? 't' : hopAlias(i - 1);
      const on = h.to.map((c, j) => `${hopAlias(i)}.${quoteBacktick(c)} = ${prev}.${quoteBacktick(h.from[j] ?? '')}`).join(' AND ');
      return ` ${kind} ${quoteBacktick(database)}.${quoteBacktick(h.table)} AS ${hopAlias(i)} ON ${on}`;
    })
    .join('');
}

const carryAlias = (via: readonly unknown[]) => (via.length ? hopAlias(via.length - 1) : 't');

/** `t.k BETWEEN a AND z OR ...`: the key ranges of a drill, which the range optimizer reads through the key's index. */
const rangeWhere = (k: string, ranges: ReadonlyArray<readonly [bigint, bigint]>) =>
  ` WHERE ${ranges.map(([a, z]) => (a === z ? `${k} = ${a}` : `${k} BETWEEN ${a} AND ${z}`)).join(' OR ')}`;

function inner({ database, table, columns, key, carry, via, spec }: MyKeyedTable, withKey: boolean, ranges: ReadonlyArray<readonly [bigint, bigint]> | null = null) {
  const rowMd5 = `MD5(${myRowText(columns)})`;
  const joins = withKey && carry.length ? myJoins(database, via, 'LEFT JOIN') : '';
  const k0 = key?.[0] ? `t.${quoteBacktick(key[0].name)}` : null;
  const where = ranges && k0 ? rangeWhere(k0, ranges) : '';
  const from = `FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t${joins}${where}`;
  const carried = withKey ? carry.map((c, i) => `, CAST(${myCanonicalExpr(c, carryAlias(via))} AS CHAR) AS c${i}`).join('') : '';
  if (key === null) {
    const names = withKey ? carry.map((_, i) => `, c${i}`).join('') : '';
    return `SELECT ${bucketOf('m', spec.bits)} AS b, ${hashOf('m')} AS h${names} FROM (SELECT ${rowMd5} AS m${carried} ${from}) AS r`;
  }
  // Text, so 64-bit keys keep every digit and binary strings arrive as the connection's UTF-8.
  const keys = withKey ? key.map((c, i) => `, CAST(${myCanonicalExpr(c)} AS CHAR) AS k${i}`).join('') : '';
  // Range buckets: integer arithmetic on the key (exact, see rangeBuckets), no MD5 of it.
  const bucket = spec.range && k0 ? `((CAST(${k0} AS SIGNED) - (${spec.range.lo})) DIV ${spec.range.width})` : bucketOf(`MD5(${myRowText(key)})`, spec.bits);
  return `SELECT ${bucket} AS b, ${hashOf(rowMd5)} AS h${keys}${carried} ${from}`;
}

export function myBucketSumsQuery(t: MyKeyedTable): string {
  return `SELECT b, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS s FROM (${inner(t, false)}) AS x GROUP BY b`;
}

/** The rows of the listed buckets (every row when null), ordered by bucket; range buckets are read as key ranges. */
export function myBucketRowsQuery(t: MyKeyedTable, buckets: readonly number[] | null): string {
  const keys = (t.key ?? []).map((_, i) => `, k${i}`).join('') + t.carry.map((_, i) => `, c${i}`).join('');
  if (buckets !== null && t.spec.range && t.key?.length === 1) {
    return `SELECT b, CAST(h AS CHAR) AS h${keys} FROM (${inner(t, true, keyRangesOf(buckets, t.spec.range))}) AS x ORDER BY b`;
  }
  const where = buckets === null ? '' : ` WHERE b IN (${bucketList(buckets)})`;
  return `SELECT b, CAST(h AS CHAR) AS h${keys} FROM (${inner(t, true)}) AS x${where} ORDER BY b`;
}

/** The smallest and largest key, through its index: the ends of range buckets. */
export function myKeyRangeQuery(database: string, table: string, key: MyColumn): string {
  const k = `t.${quoteBacktick(key.name)}`;
  return `SELECT CAST(MIN(${k}) AS CHAR) AS lo, CAST(MAX(${k}) AS CHAR) AS hi FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t`;
}

/** Integer columns MySQL/MariaDB can bucket by key range (BIGINT UNSIGNED may exceed signed arithmetic: not it). */
export function myRangeKey(c: MyColumn): boolean {
  const type = c.dataType.toLowerCase();
  return ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'].includes(type) && !(type === 'bigint' && /unsigned/i.test(c.columnType));
}

/** The canonical text of some columns for the first `limit` rows: values for classification, looked at and dropped. */
export function mySampleQuery(database: string, table: string, columns: readonly MyColumn[], limit: number): string {
  const list = columns.length ? columns.map((c, i) => `CAST(${myCanonicalExpr(c)} AS CHAR) AS v${i}`).join(', ') : 'NULL AS v0';
  return `SELECT ${list} FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t LIMIT ${Math.trunc(limit)}`;
}

/** How many distinct non-null combinations of the columns there are, through the steps' joins when given (see pgDistinctQuery). */
export function myDistinctQuery(database: string, table: string, columns: readonly MyColumn[], via: readonly MyHop[] = []): string {
  const alias = carryAlias(via);
  const cols = columns.map((c) => `${alias}.${quoteBacktick(c.name)}`);
  return `SELECT COUNT(*) AS n FROM (SELECT DISTINCT ${cols.join(', ')} FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t${myJoins(database, via, 'JOIN')}
WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}) AS x`;
}
