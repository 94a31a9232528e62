import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BucketRow } from '../../../electron/core/validation/adapters/keyed-hash';
import { addToBucket, emptySums, keyRangesOf, rangeBuckets, toUnsigned64 } from '../../../electron/core/validation/adapters/keyed-hash';
import { compareBucket, differingBuckets, keyText, mergeBuckets } from '../../../electron/core/validation/diff/bucket-merge';
import { KeysFile, keysFileName } from '../../../electron/core/validation/diff/keys-file';
import { bucketBits } from '../../../electron/core/validation/diff/row-diff';
import { tempDir } from '../../helpers/temp';

const row = (bucket: number, hash: bigint, ...key: Array<string | null>): BucketRow => ({ bucket, hash, key, carried: [] });

async function* stream(rows: BucketRow[]): AsyncGenerator<BucketRow> {
  yield* rows;
}

describe('row diff buckets', () => {
  it('matches rows of a bucket by key: missing, extra, changed; duplicates pair one to one', () => {
    const d = compareBucket([row(0, 1n, '1'), row(0, 2n, '2'), row(0, 3n, '3'), row(0, 5n, '5'), row(0, 5n, '5')], [row(0, 1n, '1'), row(0, 9n, '3'), row(0, 4n, '4'), row(0, 5n, '5')], false);
    expect(d).toEqual({ missing: [row(0, 2n, '2'), row(0, 5n, '5')], extra: [row(0, 4n, '4')], changed: [row(0, 3n, '3')] });
  });

  it('compares tables without a key as multisets of row hashes', () => {
    const d = compareBucket([row(0, 7n), row(0, 7n), row(0, 8n)], [row(0, 7n), row(0, 9n)], true);
    expect({ missing: d.missing.map((r) => keyText(r, true)), extra: d.extra.map((r) => keyText(r, true)), changed: d.changed }).toEqual({
      missing: [['0000000000000007'], ['0000000000000008']],
      extra: [['0000000000000009']],
      changed: [],
    });
  });

  it('finds the buckets whose count or sum differ, with sums taken modulo 2^64', () => {
    const a = emptySums(2);
    const b = emptySums(2);
    addToBucket(a, 1, 2, toUnsigned64('-1') + 1n);
    addToBucket(b, 1, 2, 0n);
    addToBucket(a, 2, 1, 5n);
    addToBucket(b, 2, 1, 6n);
    addToBucket(a, 3, 1, 5n);
    addToBucket(b, 3, 2, 5n);
    expect(differingBuckets(a, b)).toEqual([2, 3]);
  });

  it('walks two bucket-ordered streams in step', async () => {
    const out: Array<[number, number, number]> = [];
    for await (const b of mergeBuckets(stream([row(1, 1n), row(1, 2n), row(4, 1n)]), stream([row(0, 1n), row(4, 2n), row(9, 3n)]))) {
      out.push([b.bucket, b.reference.length, b.actual.length]);
    }
    expect(out).toEqual([
      [0, 0, 1],
      [1, 2, 0],
      [4, 1, 1],
      [9, 0, 1],
    ]);
  });

  it('sizes buckets to about eight rows, within 0..16 bits', () => {
    expect([bucketBits(0), bucketBits(8), bucketBits(100_000), bucketBits(10_000_000)]).toEqual([0, 0, 14, 16]);
  });

  it('writes key lists as CSV, quoted where needed, only when something differs, under safe unique names', () => {
    const dir = tempDir();
    try {
      const taken = new Set<string>();
      expect(keysFileName('public.order items', taken)).toBe('public.order_items.keys.csv');
      expect(keysFileName('public.order/items', taken)).toBe('public.order_items-2.keys.csv');
      expect(keysFileName('../x', taken)).toBe('__x.keys.csv');
      const empty = new KeysFile(dir.path, 'empty.csv', ['id']);
      expect(empty.finish()).toBeNull();
      const f = new KeysFile(dir.path, 'k.csv', ['id', 'name']);
      f.write('missing', ['1', 'a,b']);
      f.write('changed', ['2', 'say "hi"']);
      f.write('extra', ['3', null]);
      const path = f.finish();
      expect(readFileSync(path ?? '', 'utf8')).toBe('difference,id,name\nmissing,1,"a,b"\nchanged,2,"say ""hi"""\nextra,3,\n');
    } finally {
      dir.cleanup();
    }
  });
});

describe('range buckets of an integer key', () => {
  it('cover both sides in 2^bits buckets of one width, every key in a bucket below 2^bits', () => {
    const r = rangeBuckets([{ min: -5n, max: 994n }, { min: 10n, max: 1_000n }], 4);
    expect(r).toEqual({ lo: -5n, width: 63n });
    if (!r) return;
    for (const k of [-5n, 0n, 57n, 58n, 1_000n]) {
      const b = (k - r.lo) / r.width;
      expect(b >= 0n && b < 16n, String(k)).toBe(true);
    }
    // An empty or absent side does not narrow anything.
    expect(rangeBuckets([null, { min: 1n, max: 16n }], 4)).toEqual({ lo: 1n, width: 1n });
    expect(rangeBuckets([null, null], 4)).toBeNull();
  });

  it('are not used when a side cannot say its range or the range outgrows exact 64-bit arithmetic', () => {
    expect(rangeBuckets(['unsupported', { min: 1n, max: 10n }], 4)).toBeNull();
    expect(rangeBuckets([{ min: -(1n << 62n), max: 0n }], 4)).toBeNull();
    expect(rangeBuckets([{ min: 0n, max: 1n << 62n }], 4)).toBeNull();
    expect(rangeBuckets([{ min: -(1n << 61n), max: (1n << 61n) - 2n }], 16)).not.toBeNull();
  });

  it('read differing buckets as merged inclusive key ranges', () => {
    const r = { lo: 100n, width: 10n };
    expect(keyRangesOf([5, 0, 1, 3], r)).toEqual([
      [100n, 119n],
      [130n, 139n],
      [150n, 159n],
    ]);
    expect(keyRangesOf([], r)).toEqual([]);
  });
});
