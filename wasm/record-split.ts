// AssemblyScript, compiled to WebAssembly by `npm run build:wasm` into
// electron/core/cloudtrail/import/record-split-wasm.ts (a unit test checks that the committed module is this source's).
//
// The inner loop of electron/core/cloudtrail/import/splitter.ts: finds where a CloudTrail record (one element of the
// Records array) ends, and notes where each of its top-level strings and nested values begins and ends, so that the
// record view reads its fields without parsing the record. Strings are crossed 16 bytes at a time (SIMD). The caller
// copies its chunk in and calls `element` as often as it likes: the scan's state survives between calls, so a record
// may span any number of chunks.

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;

/** Bracket depth inside the element. */
let depth: i32 = 0;
let inString: bool = false;
/** The last byte of the previous window was a backslash inside a string: the next byte is escaped. */
let escapeNext: bool = false;
let tokens: usize = 0;
let tokenCap: i32 = 0;
let tokenCount: i32 = 0;
/** Where `element` stopped when the tokens were full. */
let stoppedAt: usize = 0;

/** Where the caller's layout may begin. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Where tokens go, and how many fit. */
export function setTokens(at: usize, cap: i32): void {
  tokens = at;
  tokenCap = cap;
}

/** A new element begins (its first byte, the opening brace, is the next one scanned). */
export function begin(): void {
  depth = 0;
  inString = false;
  escapeNext = false;
  tokenCount = 0;
}

export function count(): i32 {
  return tokenCount;
}

/** The scan's state, for a caller that shares this instance between splitters: depth, then the flags in bits 30, 29. */
export function state(): i32 {
  return depth | (inString ? 1 << 30 : 0) | (escapeNext ? 1 << 29 : 0);
}

export function restore(saved: i32, tokensHeld: i32): void {
  depth = saved & ((1 << 29) - 1);
  inString = (saved & (1 << 30)) != 0;
  escapeNext = (saved & (1 << 29)) != 0;
  tokenCount = tokensHeld;
}

export function resumeAt(): usize {
  return stoppedAt;
}

@inline function token(at: i32): void {
  store<i32>(tokens + (<usize>tokenCount << 2), at);
  tokenCount++;
}

/** Index of the closing quote of the string being crossed from i, or end when the window ends inside it. */
@inline function stringEnd(i: usize, end: usize): usize {
  if (escapeNext) {
    escapeNext = false;
    i++;
  }
  const quote = i8x16.splat(QUOTE);
  const backslash = i8x16.splat(BACKSLASH);
  while (i < end) {
    // The caller's window is followed by 16 readable bytes; a match past `end` is not taken.
    const v = v128.load(i);
    const bits = i8x16.bitmask(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)));
    if (bits == 0) {
      i += 16;
      continue;
    }
    i += <usize>ctz(bits);
    if (i >= end) break;
    if (load<u8>(i) == QUOTE) return i;
    // A backslash: the byte after it is escaped, perhaps in the next window.
    if (i + 1 >= end) {
      escapeNext = true;
      return end;
    }
    i += 2;
  }
  return end;
}

/**
 * Scans [i, end) of the element being captured; `shift` turns an address into the token's position (relative to the
 * element's start). Returns the address just past the element's closing brace; 0 when the window ended first (scan
 * the next one); 1 when the tokens are full (grow them, then call again from resumeAt()).
 */
export function element(i: usize, end: usize, shift: i32): usize {
  if (inString) {
    if (tokenCount + 2 > tokenCap) {
      stoppedAt = i;
      return 1;
    }
    const q = stringEnd(i, end);
    if (q >= end) return 0;
    inString = false;
    i = q + 1;
    if (depth == 1) token(<i32>i + shift);
  }
  while (i < end) {
    if (tokenCount + 2 > tokenCap) {
      stoppedAt = i;
      return 1;
    }
    const c = load<u8>(i);
    if (c == QUOTE) {
      if (depth == 1) token(<i32>i + shift);
      const q = stringEnd(i + 1, end);
      if (q >= end) {
        inString = true;
        return 0;
      }
      i = q + 1;
      if (depth == 1) token(<i32>i + shift);
      continue;
    }
    if (c == 0x7b || c == 0x5b) {
      if (++depth == 2) token(<i32>i + shift);
    } else if (c == 0x7d || c == 0x5d) {
      if (--depth == 1) token(<i32>i + 1 + shift);
      else if (depth == 0) return i + 1;
    }
    i++;
  }
  return 0;
}
