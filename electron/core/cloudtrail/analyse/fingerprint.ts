/**
 * Deduplication by eventID in bounded memory: each id is reduced to a 64-bit fingerprint (two 32-bit hashes) kept in an
 * open-addressing table of 16 bytes per slot, instead of a Set of strings (about 100 bytes per id). At 10 million
 * distinct ids the chance of any collision is about 3 in a million; a collision would count one record as a duplicate.
 */

/** Two independent 32-bit FNV-1a style hashes of the id's UTF-16 code units. */
export function fingerprint(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 13;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  // (0, 0) marks an empty slot.
  if (a === 0 && b === 0) b = 1;
  return [a | 0, b | 0];
}

/** fingerprint() of an ASCII string given as bytes (the same result, without making the string). */
export function fingerprintBytes(buf: Uint8Array, s: number, e: number): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ (e - s);
  for (let i = s; i < e; i++) {
    const c = buf[i] as number;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 13;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  if (a === 0 && b === 0) b = 1;
  return [a | 0, b | 0];
}

export class FingerprintSet {
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialSlots = 1 << 16) {
    let slots = 1;
    while (slots < initialSlots) slots <<= 1;
    this.table = new Int32Array(slots * 2);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint; false when it was already there (a duplicate). */
  add(hi: number, lo: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(this.table, this.mask, hi, lo);
  }

  private insert(t: Int32Array, mask: number, hi: number, lo: number): boolean {
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const i = slot << 1;
      const h = t[i] as number;
      const l = t[i + 1] as number;
      if (h === 0 && l === 0) {
        t[i] = hi;
        t[i + 1] = lo;
        if (t === this.table) this.count++;
        return true;
      }
      if (h === hi && l === lo) return false;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const next = new Int32Array(slots * 2);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number;
      const l = old[i + 1] as number;
      if (h !== 0 || l !== 0) this.insert(next, mask, h, l);
    }
    this.table = next;
    this.mask = mask;
  }

  /** Bytes held, for the memory figures of the benchmark. */
  get bytes(): number {
    return this.table.byteLength;
  }
}
