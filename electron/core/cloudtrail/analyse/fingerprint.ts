/**
 * Deduplication by eventID in bounded memory: each id is reduced to a 64-bit fingerprint (two 32-bit hashes) kept in an
 * open-addressing set of 8 bytes per slot, about 11 to 16 bytes per id instead of a Set of strings' 100. At 10 million
 * distinct ids the chance of any collision is about 3 in a million; a collision would count one record as a duplicate.
 */

/** The two running hashes of the key read so far (a key may come in parts, mixed in one after the other). */
let partA = 0;
let partB = 0;

/** Starts the hashes for a key of `length` code units. */
function startKey(length: number): void {
  partA = 0x811c9dc5;
  partB = 0x01000193 ^ length;
}

/** Mixes the next part of the key into the hashes. */
function mixPart(s: string): void {
  let a = partA;
  let b = partB;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  partA = a;
  partB = b;
}

/** The fingerprint from the two hashes once the whole key is mixed in. */
function finish(a: number, b: number): [number, number] {
  a ^= a >>> 13;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  // (0, 0) marks an empty slot.
  if (a === 0 && b === 0) b = 1;
  return [a | 0, b | 0];
}

/** Two independent 32-bit FNV-1a style hashes of the id's UTF-16 code units. */
export function fingerprint(id: string): [number, number] {
  startKey(id.length);
  mixPart(id);
  return finish(partA, partB);
}

/**
 * fingerprint(prefix + parts.join('')), without making the joined string: a key joined from a record's values would be
 * copied whole before its first character could be read, and read more slowly after.
 */
export function fingerprintOf(prefix: string, parts: readonly string[]): [number, number] {
  let length = prefix.length;
  for (let i = 0; i < parts.length; i++) length += (parts[i] as string).length;
  startKey(length);
  mixPart(prefix);
  for (let i = 0; i < parts.length; i++) mixPart(parts[i] as string);
  return finish(partA, partB);
}

/**
 * fingerprintOf() of a key whose parts are strings or ASCII bytes, given part by part: keyStart(length of the whole key
 * in code units), then keyString() and keyBytes() for the parts in order, then keyFinish(). keyBytes() returns false,
 * having mixed in only part of its bytes, when a byte is not ASCII (the code units would differ): the caller then makes
 * the key's strings and calls fingerprintOf().
 */
export function keyStart(length: number): void {
  startKey(length);
}

export function keyString(s: string): void {
  mixPart(s);
}

export function keyBytes(buf: Uint8Array, s: number, e: number): boolean {
  let a = partA;
  let b = partB;
  for (let i = s; i < e; i++) {
    const c = buf[i] as number;
    if (c > 0x7f) return false;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  partA = a;
  partB = b;
  return true;
}

export function keyFinish(): [number, number] {
  return finish(partA, partB);
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
  return finish(a, b);
}

/** The fingerprint's top bits choose one of this many small tables; the other 52 bits are what a slot stores. */
const PART_BITS = 12;
const PARTS = 1 << PART_BITS;
const LOW_BITS = 32 - PART_BITS;
/** A table grows by half once three quarters of its slots are used: between 10.7 and 16 bytes per fingerprint. */
const MAX_LOAD = 0.75;
const FIRST_SLOTS = 8;

/**
 * A set of 64-bit fingerprints in 8 bytes per slot. The top 12 bits pick one of 4096 small open-addressing tables;
 * each slot keeps the other 52 bits (plus one, so 0 marks an empty slot) as an exact double. No bit of the fingerprint
 * is dropped, so duplicates are recognised exactly as before. Tables fill to three quarters and grow by half (one table
 * kept at most half full and doubled: 16 to 32 bytes per id, and 1.5 times the set while it doubled), and each grows on
 * its own, so growing copies a few kilobytes at a time and lookups stay in the processor's cache.
 */
export class FingerprintSet {
  private tables: Array<Float64Array | undefined> = new Array<Float64Array | undefined>(PARTS);
  private counts = new Int32Array(PARTS);
  /** Per table, the count past which it grows. */
  private limits = new Int32Array(PARTS);
  private count = 0;
  private held = 0;

  /** @param initialSlots slots to start with, shared among the tables as they are first used. */
  constructor(private readonly initialSlots = 0) {}

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint; false when it was already there (a duplicate). */
  add(hi: number, lo: number): boolean {
    const part = hi >>> LOW_BITS;
    const key = (hi & ((1 << LOW_BITS) - 1)) * 4294967296 + (lo >>> 0) + 1;
    let t = this.tables[part] ?? this.create(part);
    const n = (this.counts[part] as number) + 1;
    if (n > (this.limits[part] as number)) t = this.grow(part, t);
    if (!insert(t, key, lo)) return false;
    this.counts[part] = n;
    this.count++;
    return true;
  }

  private create(part: number): Float64Array {
    const t = new Float64Array(Math.max(FIRST_SLOTS, Math.ceil(this.initialSlots / PARTS)));
    this.held += t.byteLength;
    this.tables[part] = t;
    this.limits[part] = Math.floor(t.length * MAX_LOAD);
    return t;
  }

  private grow(part: number, old: Float64Array): Float64Array {
    const next = new Float64Array(Math.ceil(old.length * 1.5));
    for (let i = 0; i < old.length; i++) {
      const key = old[i] as number;
      // The slot's low 32 bits are the fingerprint's lo, which placed it.
      if (key !== 0) insert(next, key, (key - 1) % 4294967296);
    }
    this.held += next.byteLength - old.byteLength;
    this.tables[part] = next;
    this.limits[part] = Math.floor(next.length * MAX_LOAD);
    return next;
  }

  /** Bytes held, for the memory figures of the benchmark. */
  get bytes(): number {
    return this.held;
  }
}

/** Linear probing from the slot lo's top bits point at (multiply-shift, so any table length works). */
function insert(t: Float64Array, key: number, lo: number): boolean {
  const len = t.length;
  // Below 2^31 (a table never nears that), so | 0 floors.
  let slot = (((lo >>> 0) * len) / 4294967296) | 0;
  for (;;) {
    const k = t[slot] as number;
    if (k === 0) {
      t[slot] = key;
      return true;
    }
    if (k === key) return false;
    if (++slot === len) slot = 0;
  }
}
