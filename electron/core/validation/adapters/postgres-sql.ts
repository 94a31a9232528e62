import { quoteDouble } from './adapter';

/**
 * SQL that computes firebreak-rowsum-md5-v1 inside PostgreSQL, so only a count and a sum cross the wire. Every rule
 * matches canonical.ts and docs/validation-checksum.md. Identifiers are always quoted; no value is ever spliced in.
 */

export interface PgColumn {
  name: string;
  /** format_type(), e.g. "numeric(10,2)". */
  type: string;
  nullable: boolean;
  /** typname of the column's type, or of the base type for a domain. */
  base: string;
  /** pg_type.typcategory: 'A' array, 'N' numeric, 'S' string, ... */
  category: string;
}

export interface PgDialect {
  /** Server encoding is UTF8 or SQL_ASCII: text already is the bytes we hash. Otherwise convert_to(.., 'UTF8'). */
  utf8: boolean;
  /** trim_scale() exists (PostgreSQL 13+). */
  trimScale: boolean;
}

/** Session settings that fix the text forms the canonical values rely on, for the transaction only. */
export const PG_SESSION_SETTINGS = [
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL bytea_output = 'hex'",
  // One long expression per table: compiling it with LLVM costs more than it saves (measured: 1.2 s without JIT
  // against 2.0 s with it, for a million rows of six columns).
  'SET LOCAL jit = off',
];

/**
 * A float8 as `<M>p<q>` (M x 2^q, see canonical.ts): the binary exponent from ln() corrected by exact comparisons with
 * powers of two, then the integer mantissa by an exact division. Plain arithmetic, no sub-select (a SubPlan in the
 * select list would keep PostgreSQL from scanning in parallel) and no decimal formatting (slow, and engine-specific).
 */
function floatExpr(x: string): string {
  const a = `abs(${x})`;
  const e0 = `least(1023, greatest(-1074, floor(ln(${a}) / ln(2::float8))))`;
  const e = `(${e0} + CASE WHEN ${a} / power(2::float8, ${e0}) >= 2 THEN 1 WHEN ${a} / power(2::float8, ${e0}) < 1 THEN -1 ELSE 0 END)`;
  const q = `(greatest(${e}, -1022) - 52)`;
  return `(CASE WHEN ${x} = 'NaN'::float8 THEN 'NaN' WHEN ${x} = 'Infinity'::float8 THEN 'Infinity'
  WHEN ${x} = '-Infinity'::float8 THEN '-Infinity' WHEN ${x} = 0 THEN '0'
  ELSE CASE WHEN ${x} < 0 THEN '-' ELSE '' END || (${a} / power(2::float8, ${q}))::bigint::text || 'p' || ${q}::int::text END)`;
}

const trimmedNumeric = (expr: string, d: PgDialect) =>
  d.trimScale
    ? `trim_scale(${expr})::text`
    : `(CASE WHEN (${expr})::text LIKE '%.%' THEN rtrim(rtrim((${expr})::text, '0'), '.') ELSE (${expr})::text END)`;

/** The canonical text of one column, NULL for NULL. */
export function pgCanonicalExpr(col: PgColumn, d: PgDialect, alias = 't'): string {
  const c = `${alias}.${quoteDouble(col.name)}`;
  switch (col.base) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return `${c}::text`;
    case 'numeric':
      return trimmedNumeric(c, d);
    case 'money':
      // money's text depends on lc_monetary; its numeric value does not.
      return trimmedNumeric(`${c}::numeric`, d);
    case 'float4':
    case 'float8':
      // float4 is widened to float8 (exact), as MySQL's FLOAT is.
      return floatExpr(`(${c})::float8`);
    case 'bool':
      return `${c}::int::text`;
    case 'timestamptz':
      return `(${c} AT TIME ZONE 'UTC')::text`;
    case 'bytea':
      return `encode(${c}, 'hex')`;
    default:
      // text, varchar, bpchar (trailing blanks dropped, as MySQL's CHAR does), date, timestamp, time, uuid, json,
      // enums, arrays, intervals...: their text form under the session settings above.
      return `${c}::text`;
  }
}

/** `<bytes>:<text>` or N. The value is written twice; PostgreSQL evaluates it twice, which costs less than losing the
 * parallel scan a sub-select naming it once would cost. */
function fieldExpr(expr: string, d: PgDialect): string {
  const len = d.utf8 ? `octet_length(${expr})` : `octet_length(convert_to(${expr}, 'UTF8'))`;
  return `coalesce(${len}::text || ':' || ${expr}, 'N')`;
}

export function pgRowText(columns: readonly PgColumn[], d: PgDialect): string {
  if (columns.length === 0) return "''";
  return columns.map((c) => fieldExpr(pgCanonicalExpr(c, d), d)).join('\n  || ');
}

/** count and the 64-bit row-hash sum (as a signed numeric: the caller reduces it modulo 2^64). */
export function pgChecksumQuery(schema: string, table: string, columns: readonly PgColumn[], d: PgDialect): string {
  const text = pgRowText(columns, d);
  const md5 = d.utf8 ? `md5(${text})` : `md5(convert_to(${text}, 'UTF8'))`;
  return `SELECT count(*)::text AS n, coalesce(sum(('x' || left(${md5}, 16))::bit(64)::bigint), 0)::text AS s
FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t`;
}

export function pgCountQuery(schema: string, table: string): string {
  return `SELECT count(*)::text AS n FROM ONLY ${quoteDouble(schema)}.${quoteDouble(table)} AS t`;
}
