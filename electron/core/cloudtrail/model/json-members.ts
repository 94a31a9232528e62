/**
 * Reads the members of a JSON-lines record that an adapter uses straight from the line's bytes, without JSON.parse of
 * the whole line: parsing every member of every Azure or GCP record (and collecting the garbage) costs several times
 * more than walking the bytes. The walk validates the whole line as JSON.parse would, members it skips included; any
 * doubt (invalid JSON, an escaped key, a carriage return, deep nesting) returns null and the caller parses the line.
 */

import { sameBytes } from '../import/record-view';

/**
 * What to keep of an object's members, by key: 'value' reads the value whole; 'repeating' reads it whole once per
 * distinct bytes (caller blocks, operation names: the same few values on every line); a nested Shape reads only its
 * own members when the value is an object (the value whole otherwise). Members not named are skipped (but validated).
 */
export type Member = 'value' | 'repeating' | Shape;
export interface Shape {
  readonly [key: string]: Member;
}

/** Two shapes as one: a member read whole by either is read whole. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const out: Record<string, Member> = { ...a };
  for (const [k, m] of Object.entries(b)) {
    const x = out[k];
    if (x === undefined) out[k] = m;
    else if (typeof x === 'object' && typeof m === 'object') out[k] = mergeShapes(x, m);
    else if (x === 'repeating' || m === 'repeating') out[k] = 'repeating';
    else out[k] = 'value';
  }
  return out;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Deeper values than this are left to JSON.parse (the walk recurses). */
const MAX_DEPTH = 256;
/** Distinct values remembered per 'repeating' member: a short list searched most recent first. */
const REMEMBERED = 32;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** The JSON escapes after a backslash: " \ / b f n r t (u is checked apart). */
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;
/** Bytes that stand for themselves inside a string: one table load per byte in the walk's hottest loop. */
const PLAIN = new Uint8Array(256).fill(1, 0x20);
PLAIN[QUOTE] = 0;
PLAIN[BACKSLASH] = 0;

interface Remembered {
  bytes: Uint8Array;
  value: unknown;
}

interface Slot {
  key: Buffer;
  name: string;
  /** 'value', or the remembered values of a 'repeating' member, or the nested shape. */
  read: 'value' | Remembered[] | Compiled;
}

/** A shape with its keys indexed by length and first byte, so keys are matched as bytes. */
class Compiled {
  readonly slots = new Map<number, Slot[]>();

  constructor(shape: Shape) {
    for (const [name, m] of Object.entries(shape)) {
      const key = Buffer.from(name, 'utf8');
      const h = key.length * 256 + (key[0] ?? 0);
      const read = m === 'value' ? 'value' : m === 'repeating' ? [] : new Compiled(m);
      this.slots.set(h, [...(this.slots.get(h) ?? []), { key, name, read }]);
    }
  }

  find(buf: Buffer, s: number, e: number): Slot | undefined {
    const list = this.slots.get((e - s) * 256 + (buf[s] ?? 0));
    if (!list) return undefined;
    for (const slot of list) if (sameBytes(slot.key, buf, s, e - s)) return slot;
    return undefined;
  }
}

/**
 * Whether the last bytes before end match a's: remembered values often share a long head (the same claim names, the
 * same subscription), so the tail tells most of them apart before the whole comparison.
 */
function sameTail(a: Uint8Array, buf: Buffer, end: number): boolean {
  const n = Math.min(a.length, 8);
  for (let k = 1; k <= n; k++) if (a[a.length - k] !== buf[end - k]) return false;
  return true;
}

/** Thrown inside the walk when the line is not certainly what JSON.parse would read; caught by read(). */
class Unsure extends Error {}
const UNSURE = new Unsure();

/**
 * A reader of JSON-lines records for one shape. Not re-entrant, but each read is synchronous, so one reader serves
 * every file of a thread; the remembered values persist from file to file.
 */
export class JsonMembers {
  private readonly top: Compiled;
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;
  /** Whether the last string walked had a backslash. */
  private escaped = false;

  constructor(shape: Shape) {
    this.top = new Compiled(shape);
  }

  /**
   * The record on buf[start, end) holding only the shape's members, or null when the line is not one JSON object
   * this reader can read with certainty (the caller then parses the line itself, and reports it if it is invalid).
   */
  read(buf: Buffer, start: number, end: number): Record<string, unknown> | null {
    this.buf = buf;
    this.end = end;
    try {
      const i = this.ws(start);
      if (buf[i] !== OPEN || i >= end) return null;
      const out: Record<string, unknown> = {};
      return this.ws(this.object(i, this.top, out)) === end ? out : null;
    } catch (e) {
      if (e === UNSURE || e instanceof RangeError) return null;
      throw e;
    }
  }

  /** Spaces and tabs only: a carriage return splits lines the way readline does, so such a line is left to the caller. */
  private ws(i: number): number {
    const b = this.buf;
    while (i < this.end && (b[i] === 0x20 || b[i] === 0x09)) i++;
    return i;
  }

  private expect(i: number, c: number): number {
    if (i >= this.end || this.buf[i] !== c) throw UNSURE;
    return i + 1;
  }

  /** The members of the object at i that the shape names, into out; the index after the object. */
  private object(i: number, shape: Compiled, out: Record<string, unknown>): number {
    const b = this.buf;
    i = this.ws(i + 1);
    if (b[i] === CLOSE && i < this.end) return i + 1;
    for (;;) {
      if (b[i] !== QUOTE || i >= this.end) throw UNSURE;
      const k = this.string(i);
      // An escaped key might spell a member's name: JSON.parse decides.
      if (this.escaped) throw UNSURE;
      const slot = shape.find(b, i + 1, k - 1);
      i = this.ws(this.expect(this.ws(k), COLON));
      if (!slot) i = this.skip(i, 1);
      else if (slot.read === 'value') i = this.value(i, out, slot.name);
      else if (Array.isArray(slot.read)) i = this.repeating(i, slot.read, out, slot.name);
      else if (b[i] === OPEN && i < this.end) {
        const inner: Record<string, unknown> = {};
        i = this.object(i, slot.read, inner);
        out[slot.name] = inner;
      } else i = this.value(i, out, slot.name);
      i = this.ws(i);
      if (i >= this.end) throw UNSURE;
      if (b[i] === CLOSE) return i + 1;
      i = this.ws(this.expect(i, COMMA));
    }
  }

  /** One value read whole into out[name]. */
  private value(i: number, out: Record<string, unknown>, name: string): number {
    const b = this.buf;
    const c = b[i];
    let j: number;
    if (c === QUOTE) {
      j = this.string(i);
      out[name] = this.escaped ? (JSON.parse(b.toString('utf8', i, j)) as string) : b.toString('utf8', i + 1, j - 1);
    } else {
      j = this.skip(i, 1);
      out[name] = c === 0x74 ? true : c === 0x66 ? false : c === 0x6e ? null : JSON.parse(b.toString('utf8', i, j));
    }
    return j;
  }

  /** A value met before comes back as the same string or object, found by its bytes. */
  private repeating(i: number, seen: Remembered[], out: Record<string, unknown>, name: string): number {
    const b = this.buf;
    // A JSON object, array or string ends where it closes: a remembered value whose bytes start here is the value.
    if (b[i] === QUOTE || b[i] === OPEN || b[i] === OPEN_ARRAY) {
      for (let k = 0; k < seen.length; k++) {
        const r = seen[k] as Remembered;
        const len = r.bytes.length;
        if (i + len <= this.end && sameTail(r.bytes, b, i + len) && sameBytes(r.bytes, b, i, len)) {
          // One step towards the front per hit: values that alternate (Start, Success) settle without moving the list.
          if (k > 0) {
            seen[k] = seen[k - 1] as Remembered;
            seen[k - 1] = r;
          }
          out[name] = r.value;
          return i + len;
        }
      }
    }
    const j = this.value(i, out, name);
    if (b[i] === QUOTE || b[i] === OPEN || b[i] === OPEN_ARRAY) {
      seen.unshift({ bytes: Uint8Array.prototype.slice.call(b, i, j), value: out[name] });
      if (seen.length > REMEMBERED) seen.pop();
    }
    return j;
  }

  /** The index after the string whose opening quote is at i; escaped says whether it had a backslash. */
  private string(i: number): number {
    const b = this.buf;
    const end = this.end;
    this.escaped = false;
    for (i++; i < end; i++) {
      const c = b[i] as number;
      if (PLAIN[c]) continue;
      if (c === QUOTE) return i + 1;
      if (c < 0x20) throw UNSURE;
      if (c === BACKSLASH) {
        this.escaped = true;
        if (++i >= end) throw UNSURE;
        const n = b[i] as number;
        if (n === 0x75) {
          if (i + 4 >= end || !isHex(b[i + 1] as number) || !isHex(b[i + 2] as number) || !isHex(b[i + 3] as number) || !isHex(b[i + 4] as number)) throw UNSURE;
          i += 4;
        } else if (!ESCAPES[n]) throw UNSURE;
      }
    }
    throw UNSURE;
  }

  /** The index after the value at i, checked as JSON.parse would check it. */
  private skip(i: number, depth: number): number {
    const b = this.buf;
    if (i >= this.end) throw UNSURE;
    const c = b[i] as number;
    if (c === QUOTE) return this.string(i);
    if (c === OPEN || c === OPEN_ARRAY) {
      if (depth > MAX_DEPTH) throw UNSURE;
      const close = c === OPEN ? CLOSE : CLOSE_ARRAY;
      i = this.ws(i + 1);
      if (b[i] === close && i < this.end) return i + 1;
      for (;;) {
        if (c === OPEN) {
          if (b[i] !== QUOTE || i >= this.end) throw UNSURE;
          i = this.ws(this.expect(this.ws(this.string(i)), COLON));
        }
        i = this.ws(this.skip(i, depth + 1));
        if (i >= this.end) throw UNSURE;
        if (b[i] === close) return i + 1;
        i = this.ws(this.expect(i, COMMA));
      }
    }
    if (c === 0x74) return this.literal(i, TRUE);
    if (c === 0x66) return this.literal(i, FALSE);
    if (c === 0x6e) return this.literal(i, NULL);
    return this.number(i);
  }

  private literal(i: number, word: Buffer): number {
    if (i + word.length > this.end || !sameBytes(word, this.buf, i, word.length)) throw UNSURE;
    return i + word.length;
  }

  /** -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
  private number(i: number): number {
    const b = this.buf;
    const end = this.end;
    if (b[i] === 0x2d) i++;
    if (i >= end) throw UNSURE;
    if (b[i] === 0x30) i++;
    else if (isDigit(b[i] as number)) while (i < end && isDigit(b[i] as number)) i++;
    else throw UNSURE;
    if (i < end && b[i] === 0x2e) {
      const s = ++i;
      while (i < end && isDigit(b[i] as number)) i++;
      if (i === s) throw UNSURE;
    }
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      const s = i;
      while (i < end && isDigit(b[i] as number)) i++;
      if (i === s) throw UNSURE;
    }
    return i;
  }
}
