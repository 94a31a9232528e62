/** Values per chunk once an array is large: 512 kB, so growing never copies more than that. */
const CHUNK = 1 << 16;
/**
 * A list of at most this many values (2 MB) is joined into one array when sorted: a report runs once, mostly before V8
 * has optimised the merge, and a copy this small costs less (a 400,000-record GCP scan's report took some 45 ms longer
 * when every list was merged).
 */
const JOIN_UP_TO = 4 * CHUNK;

/**
 * A list of doubles in typed arrays: 8 bytes per value instead of a JS array's boxed numbers. It doubles while small,
 * then adds fixed chunks, so a long list wastes at most one chunk and growing never copies (and briefly doubles) what
 * it already holds.
 */
export class GrowableFloat64 {
  private full: Float64Array[] = [];
  private fullValues = 0;
  private data: Float64Array;
  private n = 0;

  constructor(initial = 16) {
    this.data = new Float64Array(initial);
  }

  get length(): number {
    return this.fullValues + this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      if (this.data.length < CHUNK) {
        const next = new Float64Array(Math.min(this.data.length * 2, CHUNK));
        next.set(this.data);
        this.data = next;
      } else {
        this.full.push(this.data);
        this.fullValues += this.n;
        this.data = new Float64Array(CHUNK);
        this.n = 0;
      }
    }
    this.data[this.n++] = v;
  }

  /**
   * The values in ascending order. A long list is not copied: each chunk is sorted in place and the chunks are merged
   * as they are walked (joining them held every value twice while the report was made: 32 MB more at 4,000,000
   * calls); a short one is joined first (JOIN_UP_TO). A result holds until the next sorted(), which sorts the same
   * chunks again (pushes only add after them).
   */
  sorted(): SortedValues {
    if (this.full.length && this.length <= JOIN_UP_TO) this.join();
    const runs = this.full.map((c) => c.sort());
    if (this.n) runs.push(this.data.subarray(0, this.n).sort());
    return new SortedValues(runs);
  }

  get bytes(): number {
    return this.full.reduce((a, c) => a + c.byteLength, this.data.byteLength);
  }

  /** The chunks as one array: later pushes go to new chunks after it. */
  private join(): void {
    const all = new Float64Array(this.length);
    let at = 0;
    for (const c of this.full) {
      all.set(c, at);
      at += c.length;
    }
    all.set(this.data.subarray(0, this.n), at);
    this.full = [];
    this.fullValues = 0;
    this.data = all;
    this.n = all.length;
  }
}

/** Values held as sorted runs, read in ascending order through cursors that merge the runs. */
export class SortedValues {
  readonly length: number;
  private readonly runs: Float64Array[];

  /** @param runs each in ascending order (not checked); empty ones are left out. */
  constructor(runs: readonly Float64Array[]) {
    this.runs = runs.filter((r) => r.length > 0);
    this.length = this.runs.reduce((a, r) => a + r.length, 0);
  }

  /** One run that is already sorted. */
  static of(sorted: Float64Array): SortedValues {
    return new SortedValues([sorted]);
  }

  /** The smallest value (undefined when there are none). */
  first(): number | undefined {
    let min: number | undefined;
    for (const r of this.runs) if (min === undefined || (r[0] as number) < min) min = r[0];
    return min;
  }

  /** The largest value (undefined when there are none). */
  last(): number | undefined {
    let max: number | undefined;
    for (const r of this.runs) if (max === undefined || (r[r.length - 1] as number) > max) max = r[r.length - 1];
    return max;
  }

  /** The values as one sorted array when they are one run (read it directly), else null (read through a cursor). */
  single(): Float64Array | null {
    return this.runs.length === 1 ? (this.runs[0] as Float64Array) : this.runs.length === 0 ? new Float64Array(0) : null;
  }

  /** A new reader from the smallest value; several may walk the same values at once. */
  cursor(): SortedCursor {
    return new SortedCursor(this.runs);
  }

  /** Every value in order, as one new array (for tests: the report reads through cursors). */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    const c = this.cursor();
    for (let i = 0; i < out.length; i++) out[i] = c.next();
    return out;
  }
}

/**
 * Reads sorted runs as one ascending sequence: a binary min-heap of the runs by their next value, so each value costs
 * about log2(runs) comparisons (a 4,000,000-call list has 62 runs: six). A single run is read straight through.
 */
export class SortedCursor {
  private readonly only: Float64Array | null;
  private i = 0;
  private readonly runs: readonly Float64Array[];
  private readonly at: Int32Array;
  private readonly heads: Float64Array;
  /** Run numbers ordered as a heap by their head value; the first `size` are live. */
  private readonly heap: Int32Array;
  private size: number;

  constructor(runs: readonly Float64Array[]) {
    this.runs = runs;
    this.only = runs.length === 1 ? (runs[0] as Float64Array) : null;
    this.at = new Int32Array(runs.length);
    this.heads = Float64Array.from(runs, (r) => r[0] as number);
    this.heap = Int32Array.from(runs, (_, k) => k);
    this.size = runs.length;
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  /** The next value. Call it at most as many times as there are values: past the end it returns NaN. */
  next(): number {
    const only = this.only;
    if (only !== null) return this.i < only.length ? (only[this.i++] as number) : Number.NaN;
    if (this.size === 0) return Number.NaN;
    const heap = this.heap;
    const r = heap[0] as number;
    const v = this.heads[r] as number;
    const run = this.runs[r] as Float64Array;
    const k = (this.at[r] as number) + 1;
    this.at[r] = k;
    if (k < run.length) this.heads[r] = run[k] as number;
    else heap[0] = heap[--this.size] as number;
    this.siftDown(0);
    return v;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const heads = this.heads;
    const size = this.size;
    let k = from;
    const r = heap[k] as number;
    const v = heads[r] as number;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= size) break;
      if (c + 1 < size && (heads[heap[c + 1] as number] as number) < (heads[heap[c] as number] as number)) c++;
      const rc = heap[c] as number;
      if ((heads[rc] as number) >= v) break;
      heap[k] = rc;
      k = c;
    }
    heap[k] = r;
  }
}
