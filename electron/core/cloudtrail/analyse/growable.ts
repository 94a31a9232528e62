/** A Float64Array that grows by doubling: 8 bytes per value instead of a JS array's boxed numbers. */
export class GrowableFloat64 {
  private data: Float64Array;
  private n = 0;

  constructor(initial = 16) {
    this.data = new Float64Array(initial);
  }

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }

  /** The values sorted in place, as a view (no copy). */
  sorted(): Float64Array {
    return this.data.subarray(0, this.n).sort();
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}
