/**
 * Reads the fields of one record straight from its bytes, using the top-level token positions the splitter noted.
 * Parsing a whole CloudTrail record costs several times more than reading the dozen fields the analysis needs, and
 * userIdentity repeats from record to record, so it is parsed once per distinct value. The whole record is parsed only
 * on demand (a possible high-risk event, an agent's call, an import).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** The fields the analysis reads, by name; anything else is reachable through object(). */
export const enum F {
  EventVersion,
  UserIdentity,
  EventTime,
  EventSource,
  EventName,
  AwsRegion,
  SourceIPAddress,
  UserAgent,
  ErrorCode,
  ErrorMessage,
  EventID,
  ReadOnly,
  SourceIdentity,
  RequestParameters,
  Resources,
  Count,
}

const FIELD_NAMES: Array<[string, F]> = [
  ['eventVersion', F.EventVersion],
  ['userIdentity', F.UserIdentity],
  ['eventTime', F.EventTime],
  ['eventSource', F.EventSource],
  ['eventName', F.EventName],
  ['awsRegion', F.AwsRegion],
  ['sourceIPAddress', F.SourceIPAddress],
  ['userAgent', F.UserAgent],
  ['errorCode', F.ErrorCode],
  ['errorMessage', F.ErrorMessage],
  ['eventID', F.EventID],
  ['readOnly', F.ReadOnly],
  ['sourceIdentity', F.SourceIdentity],
  ['requestParameters', F.RequestParameters],
  ['resources', F.Resources],
];

/**
 * Known keys by length and first byte, in a flat table (no hashing on the way), compared as bytes from the end, where
 * keys such as eventTime / eventName / eventType differ: no string is made for the keys a record has.
 */
const MAX_KEY = 32;
const KEYS: Array<Array<[Buffer, F]> | undefined> = new Array(MAX_KEY * 256);
for (const [name, f] of FIELD_NAMES) {
  const k = name.length * 256 + name.charCodeAt(0);
  KEYS[k] = [...(KEYS[k] ?? []), [Buffer.from(name, 'latin1'), f]];
}

/** Byte comparison in JS: for short ranges it beats Buffer.compare, whose native call costs more than the loop. */
function sameBytes(a: Uint8Array, buf: Buffer, s: number, len: number): boolean {
  if (a.length !== len) return false;
  if (len > 64) return buf.compare(a, 0, len, s, s + len) === 0;
  for (let i = 0; i < len; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}

function fieldOf(buf: Buffer, s: number, e: number): F | -1 {
  const len = e - s;
  if (len >= MAX_KEY) return -1;
  const list = KEYS[len * 256 + (buf[s] as number)];
  if (list === undefined) return -1;
  for (const [name, f] of list) {
    let i = len - 1;
    while (i > 0 && name[i] === buf[s + i]) i--;
    if (i === 0) return f;
  }
  return -1;
}

/** Fields whose values repeat from record to record, worth remembering by their bytes. */
const REPEATING = new Uint8Array(F.Count);
for (const f of [F.EventVersion, F.EventSource, F.EventName, F.AwsRegion, F.ErrorCode, F.UserAgent]) REPEATING[f] = 1;
const MAX_REMEMBERED = 4096;

const hasBackslash = (buf: Buffer, s: number, e: number): boolean => {
  for (let i = s; i < e; i++) if (buf[i] === BACKSLASH) return true;
  return false;
};

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * A hash of a value's length and a few of its bytes (both ends and three inner points): enough to spread the few
 * hundred distinct values a field takes, in a dozen reads instead of one per byte. Equality is always checked byte by
 * byte afterwards, so a collision only lengthens a list.
 */
function sampleHash(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len < 8) {
    let h = len;
    for (let i = s; i < e; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    return h >>> 0;
  }
  let h = Math.imul(len, 0x9e3779b1);
  h = Math.imul(h ^ ((buf[s] as number) | ((buf[s + 1] as number) << 8) | ((buf[e - 1] as number) << 16) | ((buf[e - 2] as number) << 24)), 0x01000193);
  const q = len >> 2;
  h = Math.imul(h ^ ((buf[s + q] as number) | ((buf[s + 2 * q] as number) << 8) | ((buf[s + 3 * q] as number) << 16) | ((buf[e - 3] as number) << 24)), 0x01000193);
  return h >>> 0;
}

interface Remembered {
  bytes: Uint8Array;
  value: string;
}

/**
 * A per-reader cache of short strings by their bytes: a value seen before comes back as the same string, without
 * decoding it again (and later Map lookups on it hit V8's cached hash). The field's last value is tried first: within
 * a file, version and region hardly change and callers come in runs.
 */
class StringCache {
  private maps: Array<Map<number, Remembered[]> | undefined> = new Array(F.Count);
  private last: Array<Remembered | undefined> = new Array(F.Count);

  get(field: F, buf: Buffer, s: number, e: number): string {
    if (!REPEATING[field]) return decode(buf, s, e);
    const len = e - s;
    const last = this.last[field];
    if (last !== undefined && sameBytes(last.bytes, buf, s, len)) return last.value;
    let map = this.maps[field];
    if (!map || map.size > MAX_REMEMBERED) this.maps[field] = map = new Map();
    const h = sampleHash(buf, s, e);
    const list = map.get(h);
    if (list) {
      for (const en of list) {
        if (sameBytes(en.bytes, buf, s, len)) {
          this.last[field] = en;
          return en.value;
        }
      }
    }
    const entry = { bytes: Uint8Array.prototype.slice.call(buf, s, e), value: decode(buf, s, e) };
    if (list) list.push(entry);
    else map.set(h, [entry]);
    this.last[field] = entry;
    return entry.value;
  }
}

const decode = (buf: Buffer, s: number, e: number): string =>
  hasBackslash(buf, s, e) ? (JSON.parse(buf.toString('utf8', s - 1, e + 1)) as string) : buf.toString('utf8', s, e);

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : (DAYS[month - 1] as number);

/** Where YYYY-MM-DDTHH:MM:SSZ has its digits. */
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** Two digits at i of a byte buffer. */
const d2 = (b: Buffer, i: number) => ((b[i] as number) - 48) * 10 + (b[i + 1] as number) - 48;

export interface ParsedCacheEntry<T> {
  bytes: Uint8Array;
  value: T;
}

/** Keeps the few most recent distinct values of a nested field (userIdentity), keyed by their exact bytes. */
export class BytesCache<T> {
  private entries: Array<ParsedCacheEntry<T>> = [];

  constructor(private readonly size = 16) {}

  get(buf: Buffer, s: number, e: number, make: (text: string) => T): T {
    const len = e - s;
    for (let k = 0; k < this.entries.length; k++) {
      const en = this.entries[k] as ParsedCacheEntry<T>;
      if (sameBytes(en.bytes, buf, s, len)) {
        if (k > 0) {
          this.entries.splice(k, 1);
          this.entries.unshift(en);
        }
        return en.value;
      }
    }
    const value = make(buf.toString('utf8', s, e));
    this.entries.unshift({ bytes: Uint8Array.prototype.slice.call(buf, s, e), value });
    if (this.entries.length > this.size) this.entries.pop();
    return value;
  }
}

export class RecordView {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Value ranges by field (absolute in buf); -1 when absent. Scalars have their raw text range. */
  private readonly vs = new Int32Array(F.Count);
  private readonly ve = new Int32Array(F.Count);
  private readonly kind = new Uint8Array(F.Count);
  private parsed: Record<string, unknown> | null = null;
  private eventTimeRead = false;
  private eventTimeSec: number | null = null;
  private readonly strings = new StringCache();

  /** Points the view at a new record (views are reused to spare the garbage collector). */
  reset(buf: Buffer, start: number, end: number, tokens: Int32Array, count: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.parsed = null;
    this.eventTimeRead = false;
    this.vs.fill(-1);
    let k = 0;
    while (k + 1 < count) {
      const ks = start + (tokens[k] as number);
      const ke = start + (tokens[k + 1] as number);
      k += 2;
      if (buf[ks] !== QUOTE) continue;
      let p = ke;
      while (p < end && isSpace(buf[p] as number)) p++;
      if (buf[p] !== COLON) continue;
      p++;
      while (p < end && isSpace(buf[p] as number)) p++;
      const field = fieldOf(buf, ks + 1, ke - 1);
      const nextStart = k < count ? start + (tokens[k] as number) : -1;
      if (nextStart === p) {
        // A string or nested value: the next token.
        const ve = start + (tokens[k + 1] as number);
        k += 2;
        if (field >= 0) {
          this.vs[field] = p;
          this.ve[field] = ve;
          this.kind[field] = buf[p] === QUOTE ? 1 : 2;
        }
      } else if (field >= 0) {
        let q = p;
        while (q < end) {
          const c = buf[q] as number;
          if (c === 0x2c || c === 0x7d || isSpace(c)) break;
          q++;
        }
        this.vs[field] = p;
        this.ve[field] = q;
        this.kind[field] = 3;
      }
    }
  }

  /** The string value of a field, or null when it is absent, null or not a string. */
  str(field: F): string | null {
    const s = this.vs[field] as number;
    if (s < 0 || this.kind[field] !== 1) return null;
    const e = this.ve[field] as number;
    if (e - s <= 2) return null;
    return this.strings.get(field, this.buf, s + 1, e - 1);
  }

  /** Seconds since the epoch of a CloudTrail time (YYYY-MM-DDTHH:MM:SSZ read from the bytes); null when not that form. */
  timeSec(field: F): number | null {
    // The reader checks the time before the record is mapped: it is read from the bytes once.
    if (field === F.EventTime && this.eventTimeRead) return this.eventTimeSec;
    const t = this.readTimeSec(field);
    if (field === F.EventTime) {
      this.eventTimeRead = true;
      this.eventTimeSec = t;
    }
    return t;
  }

  private readTimeSec(field: F): number | null {
    const s = (this.vs[field] as number) + 1;
    const b = this.buf;
    if (s <= 0 || this.kind[field] !== 1 || (this.ve[field] as number) - s !== 21 || b[s + 4] !== 45 || b[s + 10] !== 84 || b[s + 19] !== 90) return null;
    for (const at of DIGITS_AT) {
      const c = b[s + at] as number;
      if (c < 48 || c > 57) return null;
    }
    const year = d2(b, s) * 100 + d2(b, s + 2);
    const month = d2(b, s + 5);
    const day = d2(b, s + 8);
    const hour = d2(b, s + 11);
    const minute = d2(b, s + 14);
    const second = d2(b, s + 17);
    // 30 February is not a day (Date.UTC would roll it over into March): such a time is not the one the record claims.
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) return null;
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    if (!Number.isFinite(ms)) return null;
    return Math.max(0, Math.floor(ms / 1000));
  }

  /** The raw bytes range of a string field's content, for hashing without decoding; null when absent or escaped. */
  rawString(field: F): { buf: Buffer; start: number; end: number } | null {
    const s = this.vs[field] as number;
    if (s < 0 || this.kind[field] !== 1) return null;
    const e = (this.ve[field] as number) - 1;
    if (e - s <= 1 || hasBackslash(this.buf, s + 1, e)) return null;
    for (let i = s + 1; i < e; i++) if ((this.buf[i] as number) >= 0x80) return null;
    return { buf: this.buf, start: s + 1, end: e };
  }

  /** true / false / null for a boolean field (CloudTrail sometimes writes them as strings). */
  bool(field: F): boolean | null {
    const s = this.vs[field] as number;
    if (s < 0) return null;
    const text = this.buf.toString('latin1', s, this.ve[field] as number);
    return text === 'true' || text === '"true"' ? true : text === 'false' || text === '"false"' ? false : null;
  }

  /** A nested field through a cache of parsed values keyed by its bytes. */
  nested<T>(field: F, cache: BytesCache<T>, make: (text: string) => T): T | null {
    const s = this.vs[field] as number;
    if (s < 0 || this.kind[field] !== 2) return null;
    return cache.get(this.buf, s, this.ve[field] as number, make);
  }

  /** Any field's value, parsed on its own (null when absent). Throws SyntaxError when it is not valid JSON. */
  value(field: F): unknown {
    const s = this.vs[field] as number;
    if (s < 0) return null;
    if (this.parsed) return this.parsed[FIELD_NAMES[field]?.[0] as string] ?? null;
    return JSON.parse(this.buf.toString('utf8', s, this.ve[field] as number)) as unknown;
  }

  has(field: F): boolean {
    return (this.vs[field] as number) >= 0;
  }

  /** The whole record, parsed (once). Throws SyntaxError when the record is not valid JSON. */
  object(): Record<string, unknown> {
    this.parsed ??= JSON.parse(this.text()) as Record<string, unknown>;
    return this.parsed;
  }

  text(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }
}
