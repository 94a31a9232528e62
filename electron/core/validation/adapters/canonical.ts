import { createHash } from 'node:crypto';

/**
 * The checksum algorithm (firebreak-rowsum-md5-v1) on the Node side. PostgreSQL and MySQL/MariaDB compute the same
 * thing in SQL (postgres-sql.ts, mysql-sql.ts); SQLite has no md5, so its rows are hashed here. The specification is
 * docs/validation-checksum.md; every rule below is mirrored there and in both SQL builders.
 */

const MASK64 = (1n << 64n) - 1n;

/** One field of the row text: `N` for NULL, otherwise `<UTF-8 byte length>:<canonical text>`. */
export function fieldText(value: string | null): string {
  return value === null ? 'N' : `${Buffer.byteLength(value, 'utf8')}:${value}`;
}

/** The first 64 bits of md5(row text), big-endian, as an unsigned integer. */
export function rowHash64(rowText: string): bigint {
  return createHash('md5').update(rowText, 'utf8').digest().readBigUInt64BE(0);
}

export const formatChecksum = (sum: bigint): string => (((sum % (1n << 64n)) + (1n << 64n)) & MASK64).toString(16).padStart(16, '0');

/** Order-independent: the sum of the row hashes modulo 2^64 (unlike xor, a duplicated row does not cancel out). */
export class ChecksumAccumulator {
  private sum = 0n;
  rows = 0;

  addRow(fields: Array<string | null>): void {
    let text = '';
    for (const f of fields) text += fieldText(f);
    this.sum = (this.sum + rowHash64(text)) & MASK64;
    this.rows += 1;
  }

  get checksum(): string {
    return formatChecksum(this.sum);
  }
}

/** Splits a number's shortest round-trip text ("-1.25e+20", "0.00001") into sign, significant digits and decimal exponent. */
function decompose(text: string): { sign: string; digits: string; exp: number } {
  const t = text.toLowerCase();
  const sign = t.startsWith('-') ? '-' : '';
  const [mantissa = '', e = '0'] = t.replace(/^[-+]/, '').split('e');
  const [ip = '', fp = ''] = mantissa.split('.');
  const all = ip + fp;
  const stripped = all.replace(/^0+/, '');
  const leadingZeros = all.length - stripped.length;
  const digits = stripped.replace(/0+$/, '');
  return { sign, digits, exp: Number(e) + ip.length - leadingZeros - 1 };
}

/**
 * Canonical text of a floating-point value: its exact binary value as `<M>p<q>`, meaning M x 2^q with M an integer
 * (2^52 <= M < 2^53 for normal numbers, q = -1074 for subnormal ones), e.g. 1.5 -> "6755399441055744p-52". Decimal
 * spellings of doubles differ between engines (1e+20, 1e20, 100000000000000000000); this form needs no formatting,
 * only arithmetic every engine does exactly. Either zero is "0"; NaN and the infinities are spelled out.
 */
export function canonicalFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const [mantissa, q] = biased === 0 ? [fraction, -1074] : [fraction + (1n << 52n), biased - 1075];
  return `${x < 0 ? '-' : ''}${mantissa}p${q}`;
}

/** Canonical text of an exact decimal: positional, no trailing fractional zeros, no exponent (1.50 -> "1.5"). */
export function canonicalDecimalFromNumber(x: number): string {
  if (!Number.isFinite(x)) return canonicalFloat(x);
  if (x === 0) return '0';
  const { sign, digits, exp } = decompose(String(x));
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (exp >= digits.length - 1) return `${sign}${digits}${'0'.repeat(exp - digits.length + 1)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** SQLite's column affinity from the declared type (https://www.sqlite.org/datatype3.html section 3.1). */
export type SqliteAffinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric';

export function sqliteAffinity(declared: string): SqliteAffinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/**
 * Canonical text of one SQLite value (read with safeIntegers): integers in decimal; a REAL in a NUMERIC/DECIMAL column
 * as an exact decimal (so 0.99 in Chinook's NUMERIC(10,2) equals PostgreSQL's 0.99), any other REAL in binary form;
 * text as stored; blobs as lowercase hex.
 */
export function sqliteCanonical(value: unknown, affinity: SqliteAffinity): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return affinity === 'real' ? canonicalFloat(Number(value)) : value.toString();
  if (typeof value === 'number') {
    if (affinity === 'real') return canonicalFloat(value);
    if (affinity === 'numeric' && Number.isFinite(value)) return canonicalDecimalFromNumber(value);
    return canonicalFloat(value);
  }
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return String(value);
}
