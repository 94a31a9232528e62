/**
 * A streaming splitter for CloudTrail documents: finds each element of the top-level `Records` array (or of a
 * LookupEvents `Events` array, or of a bare top-level array) without parsing the document, so files of gigabytes are
 * read with memory bounded by the largest single record. Each element is handed over as a byte range; the caller
 * JSON.parses it. The splitter checks the structure around the elements (commas, brackets, what comes after the end);
 * the element's own syntax is left to JSON.parse.
 */

import { ElementWalk } from './element-walk';

/** Where the records sit in the document. */
export type RecordContainer = 'Records' | 'Events' | 'array';

export class SplitError extends Error {
  constructor(
    message: string,
    /** Byte offset in the (uncompressed) document. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SplitError';
  }
}

/**
 * Receives one element: its bytes are buf[start, end). `tokens` holds, relative to start, [begin, end) pairs of every
 * string and nested value at the element's top level (keys included), so fields can be read without parsing it all.
 */
export type ElementSink = (buf: Buffer, start: number, end: number, container: RecordContainer, tokens: Int32Array, tokenCount: number) => void;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const enum S {
  Begin,
  KeyOrEnd,
  Key,
  KeyString,
  Colon,
  Value,
  ScalarValue,
  AfterValue,
  FirstElement,
  Element,
  AfterElement,
  NextElement,
  Nested,
  End,
}

const RECORD_KEYS = new Set(['Records', 'Events']);

const describeByte = (c: number) => (c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`);

export class RecordSplitter {
  private state = S.Begin;
  /** Bytes before the current chunk. */
  private base = 0;
  private inString = false;
  /** Backslashes at the end of the previous chunk while inside a string (an escape may span chunks). */
  private bsCarry = 0;
  /** Bracket depth inside the element or skipped value being scanned. */
  private depth = 0;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private keyBytes: number[] = [];
  private key = '';
  private container: RecordContainer | null = null;
  private index = 0;
  private bomChecked = false;
  /** Where the element being captured starts in the current chunk (-1: it began in an earlier chunk). */
  private elementStart = -1;
  /** Absolute offset of the element being captured, and its top-level tokens. */
  private elementAbs = 0;
  private tokens: Int32Array<ArrayBufferLike> = new Int32Array(256);
  private tokenCount = 0;

  constructor(
    private readonly sink: ElementSink,
    /** A record larger than this is an error: it keeps one hostile element from exhausting memory. */
    private readonly maxRecordBytes = 16 * 1024 * 1024,
    /** The records' inner loop in WebAssembly; null scans them in JavaScript (where WebAssembly is not available). */
    private readonly walk: ElementWalk | null = ElementWalk.create(),
  ) {}

  /** Elements handed over so far. */
  get elements(): number {
    return this.index;
  }

  get found(): RecordContainer | null {
    return this.container;
  }

  push(buf: Buffer): void {
    const len = buf.length;
    let i = 0;
    if (!this.bomChecked && len > 0) {
      this.bomChecked = true;
      if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    }
    while (i < len) {
      switch (this.state) {
        case S.Element:
          i = this.scanElement(buf, i);
          break;
        case S.Nested:
          i = this.scanValue(buf, i);
          break;
        case S.KeyString:
          i = this.scanKey(buf, i);
          break;
        case S.ScalarValue: {
          const c = buf[i] as number;
          if (c === COMMA || c === RBRACE || isSpace(c)) this.state = S.AfterValue;
          else i++;
          break;
        }
        default: {
          const c = buf[i] as number;
          if (isSpace(c)) {
            i++;
            break;
          }
          this.structural(c, this.base + i);
          const next = this.state as S;
          if (next === S.Element || next === S.Nested) {
            // The element (or skipped value) starts at this byte; scanValue counts its first bracket.
            this.depth = 0;
            this.inString = false;
            this.pieces = [];
            this.pieceBytes = 0;
            this.elementStart = i;
            this.elementAbs = this.base + i;
            this.tokenCount = 0;
            if (next === S.Element) this.walk?.begin();
            break;
          }
          i++;
        }
      }
    }
    if (this.state === S.Element) {
      const start = this.elementStart >= 0 ? this.elementStart : 0;
      this.keep(buf.subarray(start, len));
    }
    this.elementStart = -1;
    this.base += len;
  }

  /** Call at the end of the input: throws when the document is not complete. */
  end(): RecordContainer {
    const at = this.base;
    switch (this.state) {
      case S.End:
        return this.container as RecordContainer;
      case S.Begin:
        throw new SplitError('the file is empty (no JSON document)', at);
      case S.Element:
        throw new SplitError(`the document ends inside record ${this.index + 1} (truncated file?)`, at);
      case S.FirstElement:
      case S.AfterElement:
      case S.NextElement:
        throw new SplitError(
          `the document ends before the ${this.container === 'array' ? 'array' : `${this.container} array`} is closed, after ${this.index} records (truncated file?)`,
          at,
        );
      default:
        throw new SplitError('the JSON document ends early (truncated file?)', at);
    }
  }

  private keep(piece: Buffer): void {
    this.pieceBytes += piece.length;
    if (this.pieceBytes > this.maxRecordBytes) {
      throw new SplitError(
        `record ${this.index + 1} is larger than ${this.maxRecordBytes >= 1048576 ? `${Math.round(this.maxRecordBytes / 1048576)} MiB` : `${Math.round(this.maxRecordBytes / 1024)} KiB`}: not a CloudTrail record`,
        this.base,
      );
    }
    this.pieces.push(piece);
  }

  /** One significant byte outside any element. */
  private structural(c: number, at: number): void {
    switch (this.state) {
      case S.Begin:
        if (c === LBRACE) this.state = S.KeyOrEnd;
        else if (c === LBRACKET) {
          this.container = 'array';
          this.state = S.FirstElement;
        } else throw new SplitError(`not JSON: the document starts with ${describeByte(c)}`, at);
        return;
      case S.KeyOrEnd:
      case S.Key:
        if (c === QUOTE) {
          this.keyBytes = [];
          this.state = S.KeyString;
          this.inString = true;
          this.bsCarry = 0;
        } else if (c === RBRACE && this.state === S.KeyOrEnd) this.finishObject(at);
        else throw new SplitError(`malformed JSON: expected a key but found ${describeByte(c)}`, at);
        return;
      case S.Colon:
        if (c !== COLON) throw new SplitError(`malformed JSON: expected ':' after "${this.key}"`, at);
        this.state = S.Value;
        return;
      case S.Value:
        if (RECORD_KEYS.has(this.key) && this.container === null) {
          if (c !== LBRACKET) throw new SplitError(`"${this.key}" is not an array`, at);
          this.container = this.key as RecordContainer;
          this.state = S.FirstElement;
        } else if (c === LBRACE || c === LBRACKET || c === QUOTE) this.state = S.Nested;
        else this.state = S.ScalarValue;
        return;
      case S.AfterValue:
        if (c === COMMA) this.state = S.Key;
        else if (c === RBRACE) this.finishObject(at);
        else throw new SplitError(`malformed JSON: expected ',' or '}' but found ${describeByte(c)}`, at);
        return;
      case S.FirstElement:
        if (c === RBRACKET) return this.finishArray();
        return this.startElement(c, at);
      case S.AfterElement:
        if (c === COMMA) this.state = S.NextElement;
        else if (c === RBRACKET) this.finishArray();
        else
          throw new SplitError(
            `malformed ${this.container === 'array' ? 'array' : `${this.container} array`}: expected ',' or ']' after record ${this.index} but found ${describeByte(c)}`,
            at,
          );
        return;
      case S.NextElement:
        return this.startElement(c, at);
      default:
        throw new SplitError(`unexpected data after the end of the JSON document: ${describeByte(c)}`, at);
    }
  }

  private startElement(c: number, at: number): void {
    if (c !== LBRACE) {
      throw new SplitError(`record ${this.index + 1} is not a JSON object (found ${describeByte(c)})`, at);
    }
    this.state = S.Element;
  }

  private finishArray(): void {
    this.state = this.container === 'array' ? S.End : S.AfterValue;
  }

  private finishObject(at: number): void {
    if (this.container === null) throw new SplitError('JSON without a "Records" array: not a CloudTrail log file', at);
    this.state = S.End;
  }

  private token(at: number): void {
    if (this.tokenCount === this.tokens.length) {
      const next = new Int32Array(this.tokens.length * 2);
      next.set(this.tokens);
      this.tokens = next;
    }
    this.tokens[this.tokenCount++] = at - this.elementAbs;
  }

  /** Scans a record; like scanValue, but notes where each top-level string and nested value begins and ends. */
  private scanElement(buf: Buffer, i: number): number {
    if (this.walk) {
      const end = this.walk.scan(buf, i, this.base - this.elementAbs);
      if (end < 0) return buf.length;
      this.tokens = this.walk.tokens;
      this.tokenCount = this.walk.count;
      return this.valueDone(buf, end);
    }
    const len = buf.length;
    const base = this.base;
    let depth = this.depth;
    if (this.inString) {
      const q = this.stringEnd(buf, i);
      if (q < 0) return len;
      this.inString = false;
      i = q + 1;
      if (depth === 1) this.token(base + i);
    }
    while (i < len) {
      const c = buf[i] as number;
      if (c === QUOTE) {
        if (depth === 1) this.token(base + i);
        this.bsCarry = 0;
        const q = this.stringEnd(buf, i + 1);
        if (q < 0) {
          this.inString = true;
          this.depth = depth;
          return len;
        }
        i = q + 1;
        if (depth === 1) this.token(base + i);
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        if (++depth === 2) this.token(base + i);
      } else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 1) this.token(base + i + 1);
        else if (depth === 0) {
          this.depth = 0;
          return this.valueDone(buf, i + 1);
        }
      }
      i++;
    }
    this.depth = depth;
    return len;
  }

  /** Scans an element or a skipped value from i; returns where it stopped (the chunk's end or just past the value). */
  private scanValue(buf: Buffer, i: number): number {
    const len = buf.length;
    let depth = this.depth;
    while (i < len) {
      if (this.inString) {
        const q = this.stringEnd(buf, i);
        if (q < 0) {
          this.depth = depth;
          return len;
        }
        this.inString = false;
        i = q + 1;
        if (depth === 0) return this.valueDone(buf, i);
        continue;
      }
      const c = buf[i] as number;
      if (c === QUOTE) {
        this.inString = true;
        this.bsCarry = 0;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          return this.valueDone(buf, i + 1);
        }
      }
      i++;
    }
    this.depth = depth;
    return len;
  }

  private valueDone(buf: Buffer, end: number): number {
    if (this.state === S.Nested) {
      this.state = S.AfterValue;
      return end;
    }
    if (this.pieces.length === 0) {
      const start = this.elementStart >= 0 ? this.elementStart : 0;
      if (end - start > this.maxRecordBytes) this.keep(buf.subarray(start, end));
      this.index++;
      this.sink(buf, start, end, this.container as RecordContainer, this.tokens, this.tokenCount);
    } else {
      this.keep(buf.subarray(0, end));
      this.index++;
      const whole = Buffer.concat(this.pieces, this.pieceBytes);
      this.pieces = [];
      this.pieceBytes = 0;
      this.sink(whole, 0, whole.length, this.container as RecordContainer, this.tokens, this.tokenCount);
    }
    this.elementStart = -1;
    this.state = S.AfterElement;
    return end;
  }

  /**
   * Index of the closing quote of the string being scanned, or -1 when it continues in the next chunk. The native
   * indexOf finds the next quote; only the backslashes just before it are looked at, to tell an escaped quote.
   */
  private stringEnd(buf: Buffer, from: number): number {
    const len = buf.length;
    let i = from;
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      if (q < 0) {
        let k = len - 1;
        while (k >= from && buf[k] === BACKSLASH) k--;
        const n = len - 1 - k;
        // A chunk made only of backslashes adds to the run begun in the previous one.
        this.bsCarry = k < from && from === 0 ? this.bsCarry + n : n;
        return -1;
      }
      let k = q - 1;
      while (k >= 0 && buf[k] === BACKSLASH) k--;
      let n = q - 1 - k;
      if (k < 0) n += this.bsCarry;
      if ((n & 1) === 0) {
        this.bsCarry = 0;
        return q;
      }
      i = q + 1;
    }
  }

  /** A top-level key; keys are short, so they are collected byte by byte. */
  private scanKey(buf: Buffer, i: number): number {
    const q = this.stringEnd(buf, i);
    const stop = q < 0 ? buf.length : q;
    for (let k = i; k < stop; k++) {
      this.keyBytes.push(buf[k] as number);
      if (this.keyBytes.length > 4096) throw new SplitError('malformed JSON: a top-level key longer than 4096 bytes', this.base + k);
    }
    if (q < 0) return buf.length;
    this.inString = false;
    this.key = Buffer.from(this.keyBytes).toString('utf8');
    this.state = S.Colon;
    return q + 1;
  }
}
