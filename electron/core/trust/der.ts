/**
 * The slice of ASN.1 DER that RFC 3161 time-stamping needs: single-byte tags, definite lengths, and the universal
 * types of TimeStampReq, TimeStampResp and TSTInfo. Strict on purpose: BER's indefinite lengths, non-minimal lengths
 * and integers, and trailing bytes are refused, so one token has one encoding and its hash means one thing.
 * Errors name the structure being read (`where`) and the byte offset.
 */
import { badInput } from '../errors';

export interface Der {
  /** The identifier octet, e.g. 0x30 SEQUENCE, 0xa0 [0] constructed. */
  tag: number;
  content: Buffer;
  /** The whole encoding, tag and length included. */
  raw: Buffer;
  /** Offset of the encoding in the outermost buffer, for error messages. */
  offset: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** [n] context-specific, constructed (EXPLICIT, or IMPLICIT of a constructed type). */
export const contextTag = (n: number): number => 0xa0 | n;

const hex = (tag: number) => `0x${tag.toString(16).padStart(2, '0')}`;

function readOne(buf: Buffer, at: number, base: number, where: string): Der {
  const fail = (what: string) => badInput(`${where}: ${what} at byte ${base + at}.`);
  if (at + 2 > buf.length) throw fail('the data ends inside an element header');
  const tag = buf[at] as number;
  if ((tag & 0x1f) === 0x1f) throw fail(`a multi-byte tag (${hex(tag)}) is not used by this format`);
  let len = buf[at + 1] as number;
  let head = 2;
  if (len === 0x80) throw fail('an indefinite length (BER, not DER)');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw fail(`a length of ${n} bytes`);
    if (at + 2 + n > buf.length) throw fail('the data ends inside a length');
    len = buf.readUIntBE(at + 2, n);
    if (len < 0x80 || buf[at + 2] === 0) throw fail('a length not in its shortest form (not DER)');
    head += n;
  }
  if (at + head + len > buf.length) throw fail(`an element of ${len} bytes that runs past the end of the data`);
  return { tag, content: buf.subarray(at + head, at + head + len), raw: buf.subarray(at, at + head + len), offset: base + at };
}

/** Decodes one element that must fill `buf` exactly. */
export function decodeDer(buf: Buffer, where: string): Der {
  const node = readOne(buf, 0, 0, where);
  if (node.raw.length !== buf.length) throw badInput(`${where}: ${buf.length - node.raw.length} bytes follow the encoded structure.`);
  return node;
}

/** The elements inside a constructed element, in order. */
export function derChildren(node: Der, where: string): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < node.content.length; ) {
    const child = readOne(node.content, at, node.offset + (node.raw.length - node.content.length), where);
    out.push(child);
    at += child.raw.length;
  }
  return out;
}

/** Walks the fields of a SEQUENCE in order, with optional fields told apart by their tags. */
export class DerFields {
  private readonly items: Der[];
  private i = 0;

  constructor(
    node: Der,
    private readonly where: string,
  ) {
    if (node.tag !== TAG.SEQUENCE) throw badInput(`${where}: expected a SEQUENCE, found tag ${hex(node.tag)} at byte ${node.offset}.`);
    this.items = derChildren(node, where);
  }

  next(tag: number, field: string): Der {
    const item = this.items[this.i];
    if (!item) throw badInput(`${this.where}: the ${field} is missing.`);
    if (item.tag !== tag) throw badInput(`${this.where}: the ${field} should have tag ${hex(tag)} but has ${hex(item.tag)} at byte ${item.offset}.`);
    this.i++;
    return item;
  }

  optional(tag: number): Der | null {
    const item = this.items[this.i];
    if (!item || item.tag !== tag) return null;
    this.i++;
    return item;
  }

  /** Skips whatever optional fields remain; they are not read by this format. */
  rest(): Der[] {
    const out = this.items.slice(this.i);
    this.i = this.items.length;
    return out;
  }

  end(): void {
    const item = this.items[this.i];
    if (item) throw badInput(`${this.where}: an unexpected field with tag ${hex(item.tag)} at byte ${item.offset}.`);
  }
}

// Encoding.

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.of(tag), length(body.length), body]);
};

export const derSequence = (...items: Buffer[]): Buffer => der(TAG.SEQUENCE, ...items);
export const derNull = (): Buffer => der(TAG.NULL);
export const derBoolean = (v: boolean): Buffer => der(TAG.BOOLEAN, Buffer.of(v ? 0xff : 0x00));
export const derOctetString = (b: Buffer): Buffer => der(TAG.OCTET_STRING, b);

/** A non-negative INTEGER, minimal two's complement. */
export function derInteger(value: bigint | number): Buffer {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('only non-negative integers are encoded here');
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  let bytes = Buffer.from(h, 'hex');
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return der(TAG.INTEGER, bytes);
}

export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [a = 0n, b = 0n, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const seven: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) seven.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...seven);
  }
  return der(TAG.OID, Buffer.from(out));
}

// Decoding of values.

function expectTag(node: Der, tag: number, what: string, where: string): void {
  if (node.tag !== tag) throw badInput(`${where}: the ${what} should have tag ${hex(tag)} but has ${hex(node.tag)} at byte ${node.offset}.`);
}

export function readInteger(node: Der, where: string, what = 'integer'): bigint {
  expectTag(node, TAG.INTEGER, what, where);
  const c = node.content;
  if (c.length === 0) throw badInput(`${where}: the ${what} is empty.`);
  if (c.length > 1 && ((c[0] === 0 && !((c[1] as number) & 0x80)) || (c[0] === 0xff && (c[1] as number) & 0x80))) {
    throw badInput(`${where}: the ${what} is not in its shortest form (not DER).`);
  }
  const unsigned = BigInt(`0x${c.toString('hex')}`);
  return (c[0] as number) & 0x80 ? unsigned - (1n << BigInt(c.length * 8)) : unsigned;
}

export function readOid(node: Der, where: string, what = 'object identifier'): string {
  expectTag(node, TAG.OID, what, where);
  const arcs: bigint[] = [];
  let v = 0n;
  for (const [i, byte] of node.content.entries()) {
    v = (v << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === node.content.length - 1) throw badInput(`${where}: the ${what} ends mid-arc.`);
  }
  const first = arcs.shift();
  if (first === undefined) throw badInput(`${where}: the ${what} is empty.`);
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** GeneralizedTime `YYYYMMDDHHMMSS[.f]Z` (RFC 3161 requires UTC) as ISO 8601. */
export function readGeneralizedTime(node: Der, where: string, what = 'time'): string {
  expectTag(node, TAG.GENERALIZED_TIME, what, where);
  const t = node.content.toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/.exec(t);
  if (!m) throw badInput(`${where}: the ${what} "${t}" is not a UTC GeneralizedTime (YYYYMMDDHHMMSS[.f]Z).`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}

export function readUtf8(node: Der, where: string, what = 'text'): string {
  expectTag(node, TAG.UTF8_STRING, what, where);
  return node.content.toString('utf8');
}
