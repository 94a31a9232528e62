/**
 * Reads the members of a JSON-lines record that an adapter uses straight from the line's bytes, without JSON.parse of
 * the whole line: parsing every member of every Azure or GCP record (and collecting the garbage) costs several times
 * more than walking the bytes. The walk (WebAssembly, from wasm/json-members.ts) validates the whole line as JSON.parse
 * would, members it skips included; any doubt (invalid JSON, an escaped key, a carriage return, deep nesting) returns
 * null and the caller parses the line. Where WebAssembly cannot run, every line is left to the caller that way.
 */

import { JSON_MEMBERS_WASM } from './json-members-wasm';

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
const OPEN = 0x7b;
const OPEN_ARRAY = 0x5b;

/** The walk's exports (wasm/json-members.ts). */
interface Walk {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setup(slots: number, table: number, mask: number, remembered: number, arena: number, arenaBytes: number): void;
  forget(): void;
  keyHash(shape: number, at: number, len: number): number;
  remember(slot: number, start: number, end: number): number;
  scan(start: number, end: number, entries: number, entriesEnd: number): number;
  FLAG_ESCAPED: WebAssembly.Global;
  FLAG_OPEN: WebAssembly.Global;
  FLAG_CLOSE: WebAssembly.Global;
  FLAG_REMEMBERED: WebAssembly.Global;
  REMEMBERED: WebAssembly.Global;
}

let compiled: WebAssembly.Module | null | undefined;
/** The walk's module, compiled once per thread; null where WebAssembly (or its SIMD) is not available. */
function walkModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(JSON_MEMBERS_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;
/** Members one line may report (entries of 16 bytes); a line with more is left to JSON.parse. */
const MAX_ENTRIES = 4096;
/** Bytes of the remembered values of 'repeating' members; when full, they are all forgotten and remembered anew. */
const ARENA_BYTES = 1 << 20;
/** A longer value is not remembered (it would fill the store quickly, and is read whole each time instead). */
const MAX_REMEMBERED = ARENA_BYTES >> 6;
/**
 * The largest buffer copied in whole by load() (a stream's chunk); larger ones are copied a line at a time. The walk's
 * memory never shrinks: this bounds it.
 */
const MAX_LOADED = 4 << 20;
/** A longer line is left to JSON.parse (one audit record is a few kilobytes; such a line is a whole document). */
const MAX_LINE = 4 << 20;
/** Markers of a slot's value in JsonMembers.readSlots(): a string still in the line's bytes, an object read member by member. */
const RAW: unique symbol = Symbol('raw');
const OPENED: unique symbol = Symbol('opened');
/** Records kept alive after they are read (a power of two): see JsonMembers.recent. */
const RECENT = 64;
/** The walk reads up to 16 bytes past a line's end: zeros there stop it. */
const PAD = 16;

/**
 * Values of a 'repeating' member looked at (on one line in eight: counting costs too) before it is judged: it stays
 * remembered if at least half were recalled.
 */
const JUDGE_AFTER = 64;
/** Lines whose number has none of these bits set are the ones counted. */
const COUNTED_LINES = 7;
/**
 * Lines over which a 'repeating' member that did not repeat is read as a plain value, before it is tried again: its
 * values are new each time (resource names in one export, caller IPs in another), and remembering each costs more than
 * reading it.
 */
const REST_LINES = 32_768;

/** A slot's kind in the walk's memory; a nested shape's id goes in the bits above. */
const KIND_VALUE = 0;
const KIND_REPEATING = 1;
const KIND_NESTED = 2;

interface Slot {
  name: string;
  /** The slot of the object member it lies in; -1 for the record's own members. */
  readonly parent: number;
  /** Named 'repeating' in the shape. */
  readonly remembers: boolean;
  /** Remembered now: a member that does not repeat rests for a while (JUDGE_AFTER, REST_LINES). */
  repeating: boolean;
  /** Its values looked at and recalled since it was last judged; the line it rests until. */
  looked: number;
  recalled: number;
  restsUntil: number;
}

/** Sets member `slot` of an object to a value. */
type Setter = (o: Record<string, unknown>, slot: number, value: unknown) => void;

/**
 * A setter storing each slot's member by its own name (a store V8 keeps fast), where `o[name] = value` with a varying
 * name is one generic keyed store: several times slower, and a read sets a dozen members. The names are the shape's
 * own (never input), each written as a JSON string literal.
 */
function setterOf(slots: readonly Slot[]): Setter {
  const cases = slots.map((s, i) => `case ${i}: o[${JSON.stringify(s.name)}] = v; return;`).join('\n');
  return new Function('o', 'slot', 'v', `switch (slot) {\n${cases}\n}`) as Setter;
}

/**
 * A reader of JSON-lines records for one shape. Not re-entrant, but each read is synchronous, so one reader serves
 * every file of a thread; the remembered values persist from file to file.
 */
export class JsonMembers {
  private readonly slots: Slot[] = [];
  private readonly set: Setter;
  private readonly walk: Walk | null = null;
  /** Values of 'repeating' members, by the id the walk remembers their bytes under. */
  private values: unknown[] = [];
  private entries = 0;
  private input = 0;
  private capacity = 0;
  private bytes = new Uint8Array(0);
  private words = new Int32Array(0);
  private flags = { escaped: 1, open: 2, close: 3, remembered: 4 };
  /** The buffer whose bytes load() copied in whole, until the next load(). */
  private loaded: Buffer | null = null;
  /** Where each slot's kind lies in the walk's memory. */
  private slotsAt = 0;
  /** Lines read, and the line at which the first resting member is tried again (Infinity: none rests). */
  private lines = 0;
  private wakeAt = Number.POSITIVE_INFINITY;
  /**
   * The last records read, kept alive. V8 holds the hidden classes of objects weakly, and a record built member by
   * member has one of its own; records die young, so a full collection that finds none alive drops those classes, and
   * with them the optimised code of every function that read such a record (the adapters, the record tests, the member
   * setter), which V8 then compiles again: at 400,000 GCP records, when every entry was made a record, two
   * recompilations of those functions per reader thread. The classes of the last records read are those of the
   * records still to come. Now that audit records are mostly read by readSlots(), only the others are made and kept.
   */
  private recent: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(RECENT).fill({});
  private recentAt = 0;
  /**
   * The line last read by readSlots(), member by member: the line number each slot was last met on (a slot met on
   * another line is absent from this one), its value (RAW: a string without escapes still in the line's bytes, between
   * slotStart and slotEnd; OPENED: an object whose named members have slots of their own), and each entry's value in
   * the walk's order, for objectOf().
   */
  private readonly slotLine: Int32Array;
  private readonly slotStart: Int32Array;
  private readonly slotEnd: Int32Array;
  private readonly slotValue: unknown[];
  /** 1 where the slot's value on its line was a string without escapes (its bytes stay between slotStart and slotEnd). */
  private readonly slotRaw: Uint8Array;
  private readonly entryValue: unknown[] = new Array<unknown>(MAX_ENTRIES).fill(undefined);
  private lineBuf: Buffer = Buffer.alloc(0);
  private lineShift = 0;
  private lineEntries = 0;
  private repeated = false;

  constructor(shape: Shape) {
    const keys: Array<{ shape: number; key: Buffer; kind: number }> = [];
    let shapes = 0;
    const add = (s: Shape, parent: number): number => {
      const id = shapes++;
      for (const [name, m] of Object.entries(s)) {
        // '' and __proto__ could not be matched or set as plain members: a programming error, said at once.
        if (name === '' || name === '__proto__') throw new Error(`a JSON members shape cannot name ${JSON.stringify(name)}`);
        const key = Buffer.from(name, 'utf8');
        const entry: (typeof keys)[number] = { shape: id, key, kind: m === 'value' ? KIND_VALUE : KIND_REPEATING };
        keys.push(entry);
        const slot = this.slots.length;
        this.slots.push({ name, parent, remembers: m === 'repeating', repeating: m === 'repeating', looked: 0, recalled: 0, restsUntil: 0 });
        // Its slot is taken before the nested shape's own.
        if (typeof m === 'object') entry.kind = KIND_NESTED | (add(m, slot) << 8);
      }
      return id;
    };
    add(shape, -1);
    this.set = setterOf(this.slots);
    this.slotLine = new Int32Array(this.slots.length);
    this.slotStart = new Int32Array(this.slots.length);
    this.slotEnd = new Int32Array(this.slots.length);
    this.slotValue = new Array<unknown>(this.slots.length).fill(undefined);
    this.slotRaw = new Uint8Array(this.slots.length);
    const module = walkModule();
    if (!module) return;
    const walk = new WebAssembly.Instance(module, { env: { abort: () => undefined } }).exports as unknown as Walk;
    const tableSize = 2 ** Math.ceil(Math.log2(Math.max(64, keys.length * 4)));
    const remembered = walk.REMEMBERED.value as number;
    const slotsAt = walk.heapBase();
    this.slotsAt = slotsAt;
    const tableAt = slotsAt + keys.length * 16;
    const keysAt = tableAt + tableSize * 4;
    const keysEnd = keysAt + keys.reduce((n, k) => n + k.key.length, 0);
    const rememberedAt = (keysEnd + 15) & ~15;
    const arenaAt = rememberedAt + keys.length * remembered * 12;
    this.entries = arenaAt + ARENA_BYTES;
    this.input = this.entries + MAX_ENTRIES * 16;
    this.walk = walk;
    this.reserve(PAGE * 16);
    const view = new DataView(walk.memory.buffer);
    let keyAt = keysAt;
    keys.forEach(({ shape: id, key, kind }, slot) => {
      this.bytes.set(key, keyAt);
      const at = slotsAt + slot * 16;
      view.setUint32(at, id, true);
      view.setUint32(at + 4, keyAt, true);
      view.setUint32(at + 8, key.length, true);
      view.setUint32(at + 12, kind, true);
      // Duplicate names in one shape cannot happen (object keys); the first slot would win.
      let h = walk.keyHash(id, keyAt, key.length) & (tableSize - 1);
      while (view.getInt32(tableAt + h * 4, true) !== 0) h = (h + 1) & (tableSize - 1);
      view.setInt32(tableAt + h * 4, slot + 1, true);
      keyAt += key.length;
    });
    walk.setup(slotsAt, tableAt, tableSize - 1, rememberedAt, arenaAt, ARENA_BYTES);
    this.flags = { escaped: walk.FLAG_ESCAPED.value as number, open: walk.FLAG_OPEN.value as number, close: walk.FLAG_CLOSE.value as number, remembered: walk.FLAG_REMEMBERED.value as number };
  }

  /** Room for `bytes` of input (and their padding) in the walk's memory. */
  private reserve(bytes: number): void {
    const walk = this.walk as Walk;
    const need = this.input + bytes + PAD;
    const have = walk.memory.buffer.byteLength;
    if (need > have) walk.memory.grow(Math.ceil((need - have) / PAGE));
    this.capacity = walk.memory.buffer.byteLength - this.input - PAD;
    this.bytes = new Uint8Array(walk.memory.buffer);
    this.words = new Int32Array(walk.memory.buffer);
  }

  /**
   * Copies a buffer of lines into the walk's memory at once, so that read() need not copy each line. The buffer's bytes
   * must not change until the next load().
   */
  load(buf: Buffer): void {
    this.loaded = null;
    if (!this.walk || buf.length > MAX_LOADED) return;
    if (buf.length > this.capacity) this.reserve(buf.length);
    this.bytes.set(buf, this.input);
    this.bytes.fill(0, this.input + buf.length, this.input + buf.length + PAD);
    this.loaded = buf;
  }

  /**
   * The record on buf[start, end) holding only the shape's members, or null when the line is not one JSON object
   * this reader can read with certainty (the caller then parses the line itself, and reports it if it is invalid).
   */
  read(buf: Buffer, start: number, end: number): Record<string, unknown> | null {
    return this.readSlots(buf, start, end) ? this.objectOf() : null;
  }

  /**
   * Reads the line on buf[start, end) member by member without making its record: afterwards value(), has() and
   * opened() tell a member's value, and objectOf() makes the record read() would have returned. False when read()
   * would have returned null. The buffer's bytes must not change until the line's members have been read.
   */
  readSlots(buf: Buffer, start: number, end: number): boolean {
    const walk = this.walk;
    if (!walk || end - start > MAX_LINE) return false;
    /** Memory address = buffer index + shift. */
    let shift = this.input;
    if (buf !== this.loaded) {
      // The line goes where a loaded buffer was.
      this.loaded = null;
      if (end - start > this.capacity) this.reserve(end - start);
      this.bytes.set(buf.subarray(start, end), this.input);
      this.bytes.fill(0, this.input + end - start, this.input + end - start + PAD);
      shift = this.input - start;
    }
    const n = walk.scan(start + shift, end + shift, this.entries, this.entries + MAX_ENTRIES * 16);
    if (n < 0) return false;
    const { words, slots, flags, slotLine, slotValue, slotRaw, entryValue } = this;
    if (++this.lines >= this.wakeAt) this.wake();
    const line = this.lines;
    const counted = (line & COUNTED_LINES) === 0;
    this.lineBuf = buf;
    this.lineShift = shift;
    this.lineEntries = n;
    this.repeated = false;
    // Values met for the first time are remembered once the line is read: remembering may forget every value (the
    // store is full), and the ids of this line's values met before must still name them while it is read.
    let fresh: Array<{ slot: number; start: number; end: number; value: unknown }> | null = null;
    let judged: number[] | null = null;
    for (let k = 0, p = this.entries >> 2; k < n; k++, p += 4) {
      const flag = words[p + 3] as number;
      if (flag === flags.close) continue;
      const slot = words[p] as number;
      const member = slots[slot] as Slot;
      if (slotLine[slot] === line) this.repeated = true;
      slotLine[slot] = line;
      slotRaw[slot] = 0;
      if (flag === flags.open) {
        slotValue[slot] = OPENED;
        entryValue[k] = OPENED;
      } else if (flag === flags.remembered) {
        const value = this.values[words[p + 1] as number];
        slotValue[slot] = value;
        entryValue[k] = value;
        if (counted) {
          member.recalled++;
          if (++member.looked === JUDGE_AFTER) this.judge(slot);
        }
      } else {
        const s = (words[p + 1] as number) - shift;
        const e = (words[p + 2] as number) - shift;
        const c = buf[s];
        const remembers = member.repeating && (c === QUOTE || c === OPEN || c === OPEN_ARRAY) && e - s <= MAX_REMEMBERED;
        if (c === QUOTE && flag !== flags.escaped && !remembers) {
          // Decoded only if asked for.
          this.slotStart[slot] = s;
          this.slotEnd[slot] = e;
          slotRaw[slot] = 1;
          slotValue[slot] = RAW;
          entryValue[k] = RAW;
          continue;
        }
        const value = valueOf(buf, s, e, flag === flags.escaped);
        slotValue[slot] = value;
        entryValue[k] = value;
        if (remembers) {
          (fresh ??= []).push({ slot, start: s + shift, end: e + shift, value });
          // Judged after the line: a member put to rest is not remembered, and the walk reads the next line so.
          if (counted && ++member.looked === JUDGE_AFTER) (judged ??= []).push(slot);
        }
      }
    }
    if (fresh) for (const f of fresh) this.remember(f.slot, f.start, f.end, f.value);
    if (judged) for (const slot of judged) this.judge(slot);
    return true;
  }

  /** The slot of a member, by its names from the record down (['protoPayload', 'methodName']); -1 when not in the shape. */
  slotOf(...names: string[]): number {
    let parent = -1;
    for (const name of names) {
      parent = this.slots.findIndex((s) => s.parent === parent && s.name === name);
      if (parent < 0) return -1;
    }
    return parent;
  }

  /** Whether the line last read by readSlots() has the member (whatever its value). */
  has(slot: number): boolean {
    return slot >= 0 && this.slotLine[slot] === this.lines;
  }

  /** Whether the member is an object on that line (its named members are then read by their own slots). */
  opened(slot: number): boolean {
    return this.has(slot) && this.slotValue[slot] === OPENED;
  }

  /** The member's value on that line, as read() would have set it (undefined when absent; {} for an opened object). */
  value(slot: number): unknown {
    if (!this.has(slot)) return undefined;
    const v = this.slotValue[slot];
    if (v === OPENED) return {};
    if (v !== RAW) return v;
    const text = this.lineBuf.toString('utf8', (this.slotStart[slot] as number) + 1, (this.slotEnd[slot] as number) - 1);
    this.slotValue[slot] = text;
    return text;
  }

  /**
   * Where a member's text lies in lineBytes when it is a string without escapes on that line (from its first character
   * to rawEnd, quotes excluded), read without making the string; -1 otherwise.
   */
  rawStart(slot: number): number {
    return this.has(slot) && this.slotRaw[slot] === 1 ? (this.slotStart[slot] as number) + 1 : -1;
  }

  /** rawStart for a member that is a non-empty string (sv() of an empty one is none); -1 otherwise. */
  rawText(slot: number): number {
    const start = this.rawStart(slot);
    return start >= 0 && this.rawEnd(slot) > start ? start : -1;
  }

  rawEnd(slot: number): number {
    return (this.slotEnd[slot] as number) - 1;
  }

  /** The bytes of the line last read by readSlots() (a buffer holding it, at the indices rawStart gives). */
  get lineBytes(): Buffer {
    return this.lineBuf;
  }

  /** Whether the line named a member twice (the record then holds the last value; objectOf() says which). */
  get repeatedMember(): boolean {
    return this.repeated;
  }

  /** The record of the line last read by readSlots(), as read() returns it. */
  objectOf(): Record<string, unknown> {
    const { words, flags, set, entryValue, lineBuf: buf, lineShift: shift } = this;
    const root: Record<string, unknown> = {};
    let out = root;
    const outer: Array<Record<string, unknown>> = [];
    for (let k = 0, p = this.entries >> 2; k < this.lineEntries; k++, p += 4) {
      const flag = words[p + 3] as number;
      if (flag === flags.close) {
        out = outer.pop() as Record<string, unknown>;
        continue;
      }
      const slot = words[p] as number;
      let value = entryValue[k];
      if (value === OPENED) {
        const inner: Record<string, unknown> = {};
        set(out, slot, inner);
        outer.push(out);
        out = inner;
        continue;
      }
      if (value === RAW) value = buf.toString('utf8', (words[p + 1] as number) - shift + 1, (words[p + 2] as number) - shift - 1);
      set(out, slot, value);
    }
    this.recent[this.recentAt++ & (RECENT - 1)] = root;
    return root;
  }

  /** A 'repeating' member after JUDGE_AFTER values: it rests when fewer than half of them were recalled. */
  private judge(slot: number): void {
    const member = this.slots[slot] as Slot;
    const repeats = member.recalled * 2 >= member.looked;
    member.looked = 0;
    member.recalled = 0;
    if (repeats) return;
    member.repeating = false;
    member.restsUntil = this.lines + REST_LINES;
    this.wakeAt = Math.min(this.wakeAt, member.restsUntil);
    this.setKind(slot, KIND_VALUE);
  }

  /** Tries again the members whose rest is over. */
  private wake(): void {
    this.wakeAt = Number.POSITIVE_INFINITY;
    this.slots.forEach((member, slot) => {
      if (!member.remembers || member.repeating) return;
      if (member.restsUntil <= this.lines) {
        member.repeating = true;
        this.setKind(slot, KIND_REPEATING);
      } else this.wakeAt = Math.min(this.wakeAt, member.restsUntil);
    });
  }

  /** Whether a member is remembered now (false while it rests), for tests. */
  remembering(name: string): boolean {
    return this.slots.some((s) => s.name === name && s.repeating);
  }

  private setKind(slot: number, kind: number): void {
    if (this.walk) new DataView(this.walk.memory.buffer).setUint32(this.slotsAt + slot * 16 + 12, kind, true);
  }

  private remember(slot: number, start: number, end: number, value: unknown): void {
    const walk = this.walk as Walk;
    let id = walk.remember(slot, start, end);
    if (id < 0) {
      walk.forget();
      this.values = [];
      id = walk.remember(slot, start, end);
    }
    this.values[id] = value;
  }
}

/** The value whose JSON text is buf[s, e): a string without escapes is decoded directly. */
function valueOf(buf: Buffer, s: number, e: number, escaped: boolean): unknown {
  const c = buf[s];
  if (c === QUOTE && !escaped) return buf.toString('utf8', s + 1, e - 1);
  if (c === 0x74) return true;
  if (c === 0x66) return false;
  if (c === 0x6e) return null;
  return JSON.parse(buf.toString('utf8', s, e)) as unknown;
}
