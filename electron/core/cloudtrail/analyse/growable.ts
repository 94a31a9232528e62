/** Values per chunk once an array is large: 512 kB, so growing never copies more than that. */
const CHUNK = 1 << 16;

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

  /** The values sorted in place, as a view; the chunks are joined into one array first (once). */
  sorted(): Float64Array {
    if (this.full.length) {
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
    return this.data.subarray(0, this.n).sort();
  }

  get bytes(): number {
    return this.full.reduce((a, c) => a + c.byteLength, this.data.byteLength);
  }
}
