// AssemblyScript, compiled to WebAssembly by `npm run build:wasm` into
// electron/core/cloudtrail/model/json-members-wasm.ts (a unit test checks that the committed module is this source's).
//
// The byte walk of electron/core/cloudtrail/model/json-members.ts: one JSON-lines record is checked as JSON.parse
// would check it, and the members its shape names are reported as offsets, so that JavaScript makes strings only of
// what an adapter reads. Strings are crossed 16 bytes at a time (SIMD). A line that is not certainly what JSON.parse
// reads (invalid, an escaped key, a control character, too deep, too many members) gives -1 and JSON.parse decides.
//
// Memory is laid out by the caller: the shape (slots and their hash table), the line's bytes followed by 16 zero
// bytes, the entries written, and the remembered values of 'repeating' members.

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;
const OPEN: u8 = 0x7b;
const CLOSE: u8 = 0x7d;
const OPEN_ARRAY: u8 = 0x5b;
const COMMA: u8 = 0x2c;
const COLON: u8 = 0x3a;
/** Deeper values than this are left to JSON.parse. */
const MAX_DEPTH: i32 = 256;

/** A slot: shape id, key offset, key length, kind | child shape << 8 (kind 0 value, 1 repeating, 2 nested). */
const SLOT_BYTES: usize = 16;
const KIND_REPEATING: u32 = 1;
const KIND_NESTED: u32 = 2;

/** An entry written: slot, start, end, flags. */
const ENTRY_BYTES: usize = 16;
export const FLAG_ESCAPED: i32 = 1;
export const FLAG_OPEN: i32 = 2;
export const FLAG_CLOSE: i32 = 3;
export const FLAG_REMEMBERED: i32 = 4;

/** Remembered values per 'repeating' slot, most recent first; a record: offset, length, id. */
export const REMEMBERED: u32 = 32;
const REMEMBERED_BYTES: usize = 12;

let slots: usize = 0;
let table: usize = 0;
let tableMask: u32 = 0;
/** Per slot, REMEMBERED records; then the arena of their bytes. */
let remembered: usize = 0;
let arena: usize = 0;
let arenaEnd: usize = 0;
let arenaNext: usize = 0;
let nextId: i32 = 0;

let lineEnd: usize = 0;
let out: usize = 0;
let outEnd: usize = 0;
/** Whether the last string crossed had a backslash. */
let escaped: bool = false;

/** Where the caller's layout may begin. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

export function setup(slotsAt: usize, tableAt: usize, mask: u32, rememberedAt: usize, arenaAt: usize, arenaBytes: usize): void {
  slots = slotsAt;
  table = tableAt;
  tableMask = mask;
  remembered = rememberedAt;
  arena = arenaAt;
  arenaEnd = arenaAt + arenaBytes;
  forget();
}

/** Forgets every remembered value (the caller drops its values too). */
export function forget(): void {
  arenaNext = arena;
  nextId = 0;
  memory.fill(remembered, 0, arena - remembered);
}

@inline function ws(i: usize): usize {
  while (i < lineEnd) {
    const c = load<u8>(i);
    if (c != 0x20 && c != 0x09) break;
    i++;
  }
  return i;
}

@inline function isHex(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6;
}

/** The index after the string whose opening quote is at i, or 0 when unsure; sets `escaped`. */
function str(i: usize): usize {
  escaped = false;
  i++;
  const quote = i8x16.splat(QUOTE);
  const backslash = i8x16.splat(BACKSLASH);
  const control = i8x16.splat(0x20);
  for (;;) {
    const v = v128.load(i);
    const bits = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, control)));
    if (bits == 0) {
      i += 16;
      continue;
    }
    i += <usize>ctz(bits);
    if (i >= lineEnd) return 0;
    const c = load<u8>(i);
    if (c == QUOTE) return i + 1;
    if (c < 0x20) return 0;
    escaped = true;
    if (++i >= lineEnd) return 0;
    const n = <u32>load<u8>(i);
    if (n == 0x75) {
      if (i + 4 >= lineEnd || !isHex(load<u8>(i + 1)) || !isHex(load<u8>(i + 2)) || !isHex(load<u8>(i + 3)) || !isHex(load<u8>(i + 4))) return 0;
      i += 5;
    } else if (n == 0x22 || n == 0x5c || n == 0x2f || n == 0x62 || n == 0x66 || n == 0x6e || n == 0x72 || n == 0x74) i++;
    else return 0;
  }
  return 0;
}

@inline function digit(i: usize): bool {
  return i < lineEnd && <u32>load<u8>(i) - 0x30 < 10;
}

/** Whether afterValue met the closing bracket. */
let closed: bool = false;

/**
 * After a member or an element: the index of the next one (past its comma), or the index past the closing bracket
 * with `closed` set; 0 when neither follows.
 */
@inline function afterValue(i: usize, close: u8): usize {
  i = ws(i);
  if (i >= lineEnd) return 0;
  const d = load<u8>(i);
  closed = d == close;
  if (closed) return i + 1;
  if (d != COMMA) return 0;
  return ws(i + 1);
}

/** -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
function num(i: usize): usize {
  if (load<u8>(i) == 0x2d) i++;
  if (i >= lineEnd) return 0;
  if (load<u8>(i) == 0x30) i++;
  else if (digit(i)) while (digit(i)) i++;
  else return 0;
  if (i < lineEnd && load<u8>(i) == 0x2e) {
    const s = ++i;
    while (digit(i)) i++;
    if (i == s) return 0;
  }
  if (i < lineEnd && (load<u8>(i) | 0x20) == 0x65) {
    i++;
    if (i < lineEnd && (load<u8>(i) == 0x2b || load<u8>(i) == 0x2d)) i++;
    const s = i;
    while (digit(i)) i++;
    if (i == s) return 0;
  }
  return i;
}

/** The index after the value at i, checked as JSON.parse would check it; 0 when unsure. */
function skip(i: usize, depth: i32): usize {
  if (i >= lineEnd) return 0;
  const c = load<u8>(i);
  if (c == QUOTE) return str(i);
  if (c == OPEN || c == OPEN_ARRAY) {
    if (depth > MAX_DEPTH) return 0;
    // } is { + 2, ] is [ + 2.
    const close: u8 = c + 2;
    i = ws(i + 1);
    if (i < lineEnd && load<u8>(i) == close) return i + 1;
    for (;;) {
      if (c == OPEN) {
        if (i >= lineEnd || load<u8>(i) != QUOTE) return 0;
        i = str(i);
        if (!i) return 0;
        i = ws(i);
        if (i >= lineEnd || load<u8>(i) != COLON) return 0;
        i = ws(i + 1);
      }
      i = skip(i, depth + 1);
      if (!i) return 0;
      i = afterValue(i, close);
      if (!i || closed) return i;
    }
    return 0;
  }
  // true, false, null as little-endian words.
  if (c == 0x74) return i + 4 <= lineEnd && load<u32>(i) == 0x65757274 ? i + 4 : 0;
  if (c == 0x66) return i + 5 <= lineEnd && load<u32>(i + 1) == 0x65736c61 ? i + 5 : 0;
  if (c == 0x6e) return i + 4 <= lineEnd && load<u32>(i) == 0x6c6c756e ? i + 4 : 0;
  return num(i);
}

@inline function emit(slot: i32, s: i32, e: i32, flags: i32): bool {
  if (out >= outEnd) return false;
  store<i32>(out, slot);
  store<i32>(out, s, 4);
  store<i32>(out, e, 8);
  store<i32>(out, flags, 12);
  out += ENTRY_BYTES;
  return true;
}

function sameBytes(a: usize, b: usize, n: usize): bool {
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}

/** The hash of a key of `shape` (the same in json-members.ts, which fills the table). */
export function keyHash(shape: u32, s: usize, len: u32): u32 {
  let h = (shape * 0x9e3779b1) ^ (len * 0x85ebca6b) ^ (<u32>load<u8>(s) << 8) ^ <u32>load<u8>(s + len - 1) ^ (<u32>load<u8>(s + (len >> 1)) << 16);
  h = (h ^ (h >> 15)) * 0x2c1b3c6d;
  return h ^ (h >> 12);
}

/** The slot of key bytes [s, s + len) in shape, or -1. */
function find(shape: u32, s: usize, len: u32): i32 {
  if (len == 0) return -1;
  for (let k = keyHash(shape, s, len) & tableMask; ; k = (k + 1) & tableMask) {
    const slot = load<i32>(table + (<usize>k << 2)) - 1;
    if (slot < 0) return -1;
    const at = slots + <usize>slot * SLOT_BYTES;
    if (load<u32>(at) == shape && load<u32>(at, 8) == len && sameBytes(<usize>load<u32>(at, 4), s, len)) return slot;
  }
  return -1;
}

/** Where the value recall() found ends. */
let recalledEnd: usize = 0;

/**
 * The id of a remembered value of slot whose bytes the line holds at s, moved one step towards the front; -1 if none.
 * Its end goes in recalledEnd. The bytes need no checking: a remembered value is a whole JSON string, object or array
 * that was checked when first read, and the same bytes from the same first byte end where it ends.
 */
function recall(slot: i32, s: usize): i32 {
  const list = remembered + <usize>slot * REMEMBERED * REMEMBERED_BYTES;
  for (let k: u32 = 0; k < REMEMBERED; k++) {
    const at = list + <usize>k * REMEMBERED_BYTES;
    const n = load<u32>(at, 4);
    if (n == 0) return -1;
    const len = <usize>n;
    if (s + len > lineEnd || load<u8>(<usize>load<u32>(at) + len - 1) != load<u8>(s + len - 1) || !sameBytes(<usize>load<u32>(at), s, len)) continue;
    recalledEnd = s + len;
    const id = load<i32>(at, 8);
    // One step towards the front per hit: values that alternate (Start, Success) settle without moving the list.
    if (k > 0) {
      const before = at - REMEMBERED_BYTES;
      const offset = load<u32>(before);
      const length = load<u32>(before, 4);
      const other = load<i32>(before, 8);
      store<u32>(before, load<u32>(at));
      store<u32>(before, n, 4);
      store<i32>(before, id, 8);
      store<u32>(at, offset);
      store<u32>(at, length, 4);
      store<i32>(at, other, 8);
    }
    return id;
  }
  return -1;
}

/**
 * Remembers the bytes [s, e) as a value of slot, at the front of its list: the id the caller keeps the value under, or
 * -1 when the arena is full (the caller then forgets everything and remembers again).
 */
export function remember(slot: i32, s: usize, e: usize): i32 {
  const len = e - s;
  if (arenaNext + len > arenaEnd) return -1;
  memory.copy(arenaNext, s, len);
  const list = remembered + <usize>slot * REMEMBERED * REMEMBERED_BYTES;
  memory.copy(list + REMEMBERED_BYTES, list, (REMEMBERED - 1) * REMEMBERED_BYTES);
  store<u32>(list, <u32>arenaNext);
  store<u32>(list, <u32>len, 4);
  store<i32>(list, nextId, 8);
  arenaNext += len;
  return nextId++;
}

/** The members of the object at i that shape names, as entries; the index after the object, or 0 when unsure. */
function object(i: usize, shape: u32, depth: i32): usize {
  i = ws(i + 1);
  if (i < lineEnd && load<u8>(i) == CLOSE) return i + 1;
  for (;;) {
    if (i >= lineEnd || load<u8>(i) != QUOTE) return 0;
    const k = str(i);
    // An escaped key might spell a member's name: JSON.parse decides.
    if (!k || escaped) return 0;
    const slot = find(shape, i + 1, <u32>(k - 1 - (i + 1)));
    i = ws(k);
    if (i >= lineEnd || load<u8>(i) != COLON) return 0;
    i = ws(i + 1);
    if (slot < 0) {
      i = skip(i, depth + 1);
      if (!i) return 0;
    } else {
      const kind = load<u32>(slots + <usize>slot * SLOT_BYTES, 12);
      const c = i < lineEnd ? load<u8>(i) : 0;
      if ((kind & 0xff) == KIND_NESTED && c == OPEN) {
        if (depth > MAX_DEPTH || !emit(slot, <i32>i, 0, FLAG_OPEN)) return 0;
        i = object(i, kind >> 8, depth + 1);
        if (!i || !emit(-1, 0, <i32>i, FLAG_CLOSE)) return 0;
      } else {
        const s = i;
        // A value remembered before is recognised by its bytes before any checking; a new one is checked.
        const id = (kind & 0xff) == KIND_REPEATING && (c == QUOTE || c == OPEN || c == OPEN_ARRAY) ? recall(slot, s) : -1;
        if (id >= 0) {
          i = recalledEnd;
          if (!emit(slot, id, <i32>i, FLAG_REMEMBERED)) return 0;
        } else {
          i = skip(i, depth + 1);
          if (!i || !emit(slot, <i32>s, <i32>i, c == QUOTE && escaped ? FLAG_ESCAPED : 0)) return 0;
        }
      }
    }
    i = afterValue(i, CLOSE);
    if (!i || closed) return i;
  }
  return 0;
}

/**
 * Reads the line [start, end) (followed in memory by 16 readable bytes): entries from `entries` up to `entriesEnd`,
 * their count, or -1 when the line is to be left to JSON.parse.
 */
export function scan(start: usize, end: usize, entries: usize, entriesEnd: usize): i32 {
  lineEnd = end;
  out = entries;
  outEnd = entriesEnd;
  const i = ws(start);
  if (i >= end || load<u8>(i) != OPEN) return -1;
  const after = object(i, 0, 1);
  if (!after || ws(after) != end) return -1;
  return <i32>((out - entries) / ENTRY_BYTES);
}
