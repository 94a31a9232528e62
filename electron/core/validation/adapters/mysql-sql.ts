import { quoteBacktick } from './adapter';

/**
 * SQL that computes firebreak-rowsum-md5-v1 inside MySQL/MariaDB (see postgres-sql.ts for PostgreSQL and
 * docs/validation-checksum.md). Never GROUP_CONCAT: it truncates silently at group_concat_max_len.
 */

export interface MyColumn {
  name: string;
  /** COLUMN_TYPE, e.g. "decimal(10,2) unsigned". */
  columnType: string;
  /** DATA_TYPE, lower case, e.g. "decimal". */
  dataType: string;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  datetimePrecision: number | null;
  charset: string | null;
}

/**
 * Added in place of a row hash that came out NULL: CONCAT returns NULL (with only a warning) when the row text exceeds
 * max_allowed_packet. 2^104 leaves the low 64 bits of the sum intact and shows how many rows were affected.
 */
export const OVERSIZE_SENTINEL = 1n << 104n;

const UTF8_CHARSETS = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'ascii']);
const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SPATIAL_TYPES = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection']);
const TEMPORAL_FRACTION_TYPES = new Set(['datetime', 'timestamp', 'time']);

const trimFraction = (e: string) => `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM ${e}))`;

/** A DOUBLE as `<M>p<q>` (M x 2^q), computed as postgres-sql.ts does: ln() for the exponent, exact fix-ups, exact division. */
function floatExpr(x: string): string {
  const a = `ABS(${x})`;
  const e0 = `LEAST(1023, GREATEST(-1074, FLOOR(LN(${a}) / LN(2))))`;
  const e = `(${e0} + CASE WHEN ${a} / POW(2, ${e0}) >= 2 THEN 1 WHEN ${a} / POW(2, ${e0}) < 1 THEN -1 ELSE 0 END)`;
  const q = `(GREATEST(${e}, -1022) - 52)`;
  return `CASE WHEN ${x} = 0 THEN '0' ELSE CONCAT(IF(${x} < 0, '-', ''), CAST(${a} / POW(2, ${q}) AS UNSIGNED), 'p', ${q}) END`;
}

/** The canonical text of one column as a binary string (bytes of UTF-8), NULL for NULL. */
export function myCanonicalExpr(col: MyColumn, alias = 't'): string {
  const c = `${alias}.${quoteBacktick(col.name)}`;
  const type = col.dataType.toLowerCase();
  if (INTEGER_TYPES.has(type) || type === 'year' || type === 'date') return c;
  if (type === 'decimal' || type === 'numeric') return (col.scale ?? 0) > 0 ? trimFraction(c) : c;
  // FLOAT is widened to DOUBLE (exact), as PostgreSQL's real is.
  if (type === 'float') return floatExpr(`CAST(${c} AS DOUBLE)`);
  if (type === 'double' || type === 'real') return floatExpr(c);
  if (TEMPORAL_FRACTION_TYPES.has(type)) return (col.datetimePrecision ?? 0) > 0 ? trimFraction(`CAST(${c} AS CHAR)`) : c;
  if (TEXT_TYPES.has(type)) {
    // Binary strings: CONCAT of columns with different collations would otherwise fail, and MD5 hashes bytes anyway.
    return col.charset && !UTF8_CHARSETS.has(col.charset.toLowerCase())
      ? `CAST(CONVERT(${c} USING utf8mb4) AS BINARY)`
      : `CAST(${c} AS BINARY)`;
  }
  if (BINARY_TYPES.has(type) || SPATIAL_TYPES.has(type)) return `LOWER(HEX(${c}))`;
  if (type === 'bit') return `LPAD(BIN(${c}), ${Math.max(1, Math.trunc(col.precision ?? 1))}, '0')`;
  return `CAST(${c} AS CHAR)`;
}

export function myRowText(columns: readonly MyColumn[]): string {
  return `CONCAT(${columns
    .map((col) => {
      const e = myCanonicalExpr(col);
      return `COALESCE(CONCAT(OCTET_LENGTH(${e}), ':', ${e}), 'N')`;
    })
    .join(',\n  ')})`;
}

export function myChecksumQuery(database: string, table: string, columns: readonly MyColumn[]): string {
  return `SELECT COUNT(*) AS n,
  SUM(IFNULL(CAST(CONV(LEFT(MD5(${myRowText(columns)}), 16), 16, 10) AS UNSIGNED), ${OVERSIZE_SENTINEL})) AS s
FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t`;
}

export function myCountQuery(database: string, table: string): string {
  return `SELECT COUNT(*) AS n FROM ${quoteBacktick(database)}.${quoteBacktick(table)} AS t`;
}
