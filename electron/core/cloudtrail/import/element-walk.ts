/**
 * The splitter's inner loop in WebAssembly (wasm/record-split.ts): where a record ends and where its top-level strings
 * and nested values begin and end, found with SIMD across strings. One instance serves a thread: its memory holds a
 * window of the chunk being split and the tokens of the record being scanned. Splitters that take turns (two files
 * read at once) each save their record's scan state when another takes the instance over, and get it back after.
 */
import { RECORD_SPLIT_WASM } from './record-split-wasm';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setTokens(at: number, cap: number): void;
  begin(): void;
  count(): number;
  state(): number;
  restore(saved: number, tokens: number): void;
  resumeAt(): number;
  element(i: number, end: number, shift: number): number;
}

const PAGE = 65536;
/** The largest part of a chunk copied into the instance at once. */
const WINDOW = 1 << 20;
/** The walk reads up to 16 bytes past the window's end. */
const PAD = 16;
const FIRST_TOKENS = 4096;

class Instance {
  readonly ex: Exports;
  readonly window: number;
  readonly tokensAt: number;
  cap = FIRST_TOKENS;
  tokens = new Int32Array(0);
  bytes = new Uint8Array(0);
  owner: ElementWalk | null = null;
  /** The chunk whose bytes [lo, hi) are in the window. */
  buf: Buffer | null = null;
  lo = 0;
  hi = 0;

  constructor(ex: Exports) {
    this.ex = ex;
    this.window = ex.heapBase();
    this.tokensAt = this.window + WINDOW + PAD;
    this.reserve(FIRST_TOKENS);
  }

  /** Room for `cap` tokens. */
  reserve(cap: number): void {
    const need = this.tokensAt + cap * 4;
    const have = this.ex.memory.buffer.byteLength;
    if (need > have) this.ex.memory.grow(Math.ceil((need - have) / PAGE));
    this.cap = cap;
    this.ex.setTokens(this.tokensAt, cap);
    this.bytes = new Uint8Array(this.ex.memory.buffer);
    this.tokens = new Int32Array(this.ex.memory.buffer, this.tokensAt, cap);
  }

  load(buf: Buffer, i: number): void {
    const hi = Math.min(buf.length, i + WINDOW);
    this.bytes.set(buf.subarray(i, hi), this.window);
    this.bytes.fill(0, this.window + hi - i, this.window + hi - i + PAD);
    this.buf = buf;
    this.lo = i;
    this.hi = hi;
  }
}

let instance: Instance | null | undefined;

/** The thread's instance; null where WebAssembly (or its SIMD) is not available. */
function threadInstance(): Instance | null {
  if (instance === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(RECORD_SPLIT_WASM, 'base64'));
      instance = new Instance(new WebAssembly.Instance(module, { env: { abort: () => undefined } }).exports as unknown as Exports);
    } catch {
      instance = null;
    }
  }
  return instance;
}

/** One splitter's use of the thread's instance. */
export class ElementWalk {
  /** The scan state and tokens of a record in progress, while another splitter has the instance. */
  private saved: { state: number; tokens: Int32Array } | null = null;

  private constructor(private readonly at: Instance) {}

  /** Null where WebAssembly is not available (the splitter then scans in JavaScript). */
  static create(): ElementWalk | null {
    const at = threadInstance();
    return at ? new ElementWalk(at) : null;
  }

  /** A record begins at the next byte scanned. */
  begin(): void {
    this.own();
    this.saved = null;
    this.at.ex.begin();
  }

  /**
   * Scans the record from buf[i]: the index just past its end, or -1 when the chunk ends first. `shift` is the
   * record's start subtracted from the absolute offset of buf[0] (tokens are relative to the record's start).
   */
  scan(buf: Buffer, i: number, shift: number): number {
    this.own();
    const at = this.at;
    while (i < buf.length) {
      if (buf !== at.buf || i < at.lo || i >= at.hi) at.load(buf, i);
      // Address of buf[k] = k + offset.
      const offset = at.window - at.lo;
      const end = at.hi + offset;
      let r = at.ex.element(i + offset, end, shift - offset);
      while (r === 1) {
        at.reserve(at.cap * 2);
        r = at.ex.element(at.ex.resumeAt(), end, shift - offset);
      }
      if (r !== 0) return r - offset;
      i = at.hi;
    }
    return -1;
  }

  /** The record's tokens (the first `count`), valid until the next scan. */
  get tokens(): Int32Array {
    return this.at.tokens;
  }

  get count(): number {
    return this.at.ex.count();
  }

  private own(): void {
    const at = this.at;
    if (at.owner === this) return;
    at.owner?.save();
    at.owner = this;
    // The window holds another splitter's chunk.
    at.buf = null;
    const saved = this.saved;
    if (saved) {
      if (saved.tokens.length > at.cap) at.reserve(2 ** Math.ceil(Math.log2(saved.tokens.length)));
      at.tokens.set(saved.tokens);
      at.ex.restore(saved.state, saved.tokens.length);
      this.saved = null;
    }
  }

  private save(): void {
    this.saved = { state: this.at.ex.state(), tokens: this.at.tokens.slice(0, this.at.ex.count()) };
  }
}
