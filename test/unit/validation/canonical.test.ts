import { describe, expect, it } from 'vitest';
import {
  ChecksumAccumulator,
  canonicalDecimalFromNumber,
  canonicalFloat,
  fieldText,
  formatChecksum,
  sqliteAffinity,
  sqliteCanonical,
} from '../../../electron/core/validation/adapters/canonical';
import { DOC_EXAMPLE } from './doc-example';

describe('row text and checksum', () => {
  it('encodes each field as N or <utf-8 bytes>:<text>', () => {
    expect(fieldText(null)).toBe('N');
    expect(fieldText('')).toBe('0:');
    expect(fieldText('héllo')).toBe('6:héllo');
    expect(fieldText('😀')).toBe('4:😀');
  });

  it('gives the documented checksum for the worked example', () => {
    const acc = new ChecksumAccumulator();
    for (const r of DOC_EXAMPLE.canonicalRows) acc.addRow(r);
    expect(DOC_EXAMPLE.canonicalRows.map((r) => r.map(fieldText).join(''))).toEqual(DOC_EXAMPLE.rowTexts);
    expect(acc.rows).toBe(2);
    expect(acc.checksum).toBe(DOC_EXAMPLE.checksum);
  });

  it('does not depend on row order, and a duplicated row does not cancel out', () => {
    const rows = [['1', 'a'], ['2', 'b'], ['3', null]];
    const a = new ChecksumAccumulator();
    const b = new ChecksumAccumulator();
    rows.forEach((r) => a.addRow(r));
    [...rows].reverse().forEach((r) => b.addRow(r));
    expect(a.checksum).toBe(b.checksum);
    const twice = new ChecksumAccumulator();
    twice.addRow(['1', 'a']);
    twice.addRow(['1', 'a']);
    expect(twice.checksum).not.toBe(new ChecksumAccumulator().checksum);
    expect(new ChecksumAccumulator().checksum).toBe('0000000000000000');
  });

  it('tells NULL from the text "N" and from an empty string, and shifted field boundaries apart', () => {
    const of = (r: Array<string | null>) => {
      const acc = new ChecksumAccumulator();
      acc.addRow(r);
      return acc.checksum;
    };
    expect(new Set([of([null]), of(['N']), of(['']), of(['ab', 'c']), of(['a', 'bc'])]).size).toBe(5);
  });

  it('reduces sums modulo 2^64, negative ones too', () => {
    expect(formatChecksum(-1n)).toBe('ffffffffffffffff');
    expect(formatChecksum((1n << 64n) + 5n)).toBe('0000000000000005');
  });
});

describe('canonical numbers', () => {
  it('writes floats exactly as an integer mantissa and a power of two', () => {
    expect(canonicalFloat(1.5)).toBe('6755399441055744p-52');
    expect(canonicalFloat(-1.5)).toBe('-6755399441055744p-52');
    expect(canonicalFloat(0.1)).toBe('7205759403792794p-56');
    expect(canonicalFloat(1)).toBe('4503599627370496p-52');
    expect(canonicalFloat(1e20)).toBe('6103515625000000p14');
    expect(canonicalFloat(Number.MAX_VALUE)).toBe('9007199254740991p971');
    // The smallest normal number, the largest subnormal one and the smallest subnormal one.
    expect(canonicalFloat(2.2250738585072014e-308)).toBe('4503599627370496p-1074');
    expect(canonicalFloat(2.225073858507201e-308)).toBe('4503599627370495p-1074');
    expect(canonicalFloat(5e-324)).toBe('1p-1074');
    expect(canonicalFloat(Math.fround(0.1))).toBe('7205759511166976p-56');
    expect([canonicalFloat(0), canonicalFloat(-0), canonicalFloat(NaN), canonicalFloat(Infinity), canonicalFloat(-Infinity)]).toEqual([
      '0',
      '0',
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
  });

  it('keeps every double distinct', () => {
    const values = [0.1, 0.30000000000000004, 0.3, 1 - Number.EPSILON / 2, 1, 1 + Number.EPSILON, 123456789012345680, 123456789012345696];
    expect(new Set(values.map(canonicalFloat)).size).toBe(new Set(values).size);
  });

  it('writes exact decimals positionally without trailing zeros', () => {
    expect(canonicalDecimalFromNumber(0.99)).toBe('0.99');
    expect(canonicalDecimalFromNumber(1.5)).toBe('1.5');
    expect(canonicalDecimalFromNumber(-12.345)).toBe('-12.345');
    expect(canonicalDecimalFromNumber(1e21)).toBe('1000000000000000000000');
    expect(canonicalDecimalFromNumber(1.5e-7)).toBe('0.00000015');
    expect(canonicalDecimalFromNumber(0)).toBe('0');
  });
});

describe('SQLite values', () => {
  it('derives affinity from the declared type as SQLite does', () => {
    expect(['INTEGER', 'BIGINT', 'NVARCHAR(40)', 'CLOB', 'BLOB', '', 'REAL', 'DOUBLE PRECISION', 'FLOAT', 'NUMERIC(10,2)', 'DATETIME', 'BOOLEAN'].map(sqliteAffinity)).toEqual([
      'integer',
      'integer',
      'text',
      'text',
      'blob',
      'blob',
      'real',
      'real',
      'real',
      'numeric',
      'numeric',
      'numeric',
    ]);
  });

  it('canonicalises by storage class and affinity', () => {
    expect(sqliteCanonical(null, 'text')).toBeNull();
    expect(sqliteCanonical(9007199254740993n, 'integer')).toBe('9007199254740993');
    expect(sqliteCanonical(0.99, 'numeric')).toBe('0.99');
    expect(sqliteCanonical(0.99, 'real')).toBe(canonicalFloat(0.99));
    expect(sqliteCanonical(3n, 'real')).toBe('6755399441055744p-51');
    expect(sqliteCanonical('2009-01-01 00:00:00', 'numeric')).toBe('2009-01-01 00:00:00');
    expect(sqliteCanonical(Buffer.from([0, 255]), 'blob')).toBe('00ff');
  });
});
