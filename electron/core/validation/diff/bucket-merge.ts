import type { BucketRow, BucketSums } from '../adapters/keyed-hash';

/** The buckets whose count or row-hash sum differ between the two sides (same bits on both). */
export function differingBuckets(a: BucketSums, b: BucketSums): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.counts.length; i++) {
    if (a.counts[i] !== b.counts[i] || a.sums[i] !== b.sums[i]) out.push(i);
  }
  return out;
}

/** Groups a stream ordered by bucket into one array per bucket. */
async function* byBucket(rows: AsyncIterable<BucketRow>): AsyncGenerator<{ bucket: number; rows: BucketRow[] }> {
  let current: { bucket: number; rows: BucketRow[] } | null = null;
  for await (const r of rows) {
    if (current && current.bucket === r.bucket) current.rows.push(r);
    else {
      if (current) yield current;
      current = { bucket: r.bucket, rows: [r] };
    }
  }
  if (current) yield current;
}

/**
 * Walks two bucket-ordered streams side by side, handing over one bucket at a time with the rows of each side:
 * memory holds a bucket, never a table. Both streams are drained concurrently.
 */
export async function* mergeBuckets(
  reference: AsyncIterable<BucketRow>,
  actual: AsyncIterable<BucketRow>,
): AsyncGenerator<{ bucket: number; reference: BucketRow[]; actual: BucketRow[] }> {
  const ref = byBucket(reference);
  const act = byBucket(actual);
  try {
    let [r, a] = await Promise.all([ref.next(), act.next()]);
    while (!r.done || !a.done) {
      if (!r.done && (a.done || r.value.bucket < a.value.bucket)) {
        yield { bucket: r.value.bucket, reference: r.value.rows, actual: [] };
        r = await ref.next();
      } else if (!a.done && (r.done || a.value.bucket < r.value.bucket)) {
        yield { bucket: a.value.bucket, reference: [], actual: a.value.rows };
        a = await act.next();
      } else if (!r.done && !a.done) {
        yield { bucket: r.value.bucket, reference: r.value.rows, actual: a.value.rows };
        [r, a] = await Promise.all([ref.next(), act.next()]);
      }
    }
  } finally {
    await Promise.all([ref.return(undefined), act.return(undefined)]);
  }
}

/** The differing rows of a bucket: missing and changed as the reference holds them, extra as the actual does. */
export interface BucketDifference {
  missing: BucketRow[];
  extra: BucketRow[];
  changed: BucketRow[];
}

/** What the key list says for a row: its key, or its row hash in hex when keyed by the whole row. */
export const keyText = (r: BucketRow, wholeRow: boolean): Array<string | null> => (wholeRow ? [hex(r.hash)] : r.key);

const hex = (h: bigint) => h.toString(16).padStart(16, '0');

/**
 * The rows of one bucket on both sides, matched by key (same key, other hash: changed) or, keyed by the whole row, as
 * multisets of row hashes (a duplicated row counts twice).
 */
export function compareBucket(reference: readonly BucketRow[], actual: readonly BucketRow[], wholeRow: boolean): BucketDifference {
  const out: BucketDifference = { missing: [], extra: [], changed: [] };
  const keyOf = (r: BucketRow) => (wholeRow ? hex(r.hash) : JSON.stringify(r.key));
  const pending = new Map<string, BucketRow[]>();
  for (const r of reference) {
    const k = keyOf(r);
    const list = pending.get(k);
    if (list) list.push(r);
    else pending.set(k, [r]);
  }
  for (const r of actual) {
    const k = keyOf(r);
    const match = pending.get(k)?.shift();
    if (!match) out.extra.push(r);
    else if (!wholeRow && match.hash !== r.hash) out.changed.push(match);
  }
  for (const rows of pending.values()) out.missing.push(...rows);
  return out;
}
