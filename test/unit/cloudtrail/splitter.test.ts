import { beforeEach, describe, expect, it } from 'vitest';
import { ElementWalk } from '../../../electron/core/cloudtrail/import/element-walk';
import { F, RecordView } from '../../../electron/core/cloudtrail/import/record-view';
import { type RecordContainer, RecordSplitter, SplitError } from '../../../electron/core/cloudtrail/import/splitter';

/** The splitter's two inner loops: WebAssembly (what runs) and JavaScript (where WebAssembly is not available). */
const LOOPS = [
  ['WebAssembly', () => ElementWalk.create()],
  ['JavaScript', () => null],
] as const;
let loop: () => ElementWalk | null = LOOPS[0][1];

/** Feeds text in chunks of the given sizes (cycled) and returns the parsed elements and each one's tokens. */
function split(text: string, sizes: number[] = [1 << 20], max?: number): { items: unknown[]; container: RecordContainer; views: RecordView[]; tokens: number[][] } {
  const { sp, items, views, tokens } = splitter(max);
  const bytes = Buffer.from(text, 'utf8');
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const size = sizes[k++ % sizes.length] as number;
    sp.push(bytes.subarray(i, i + size));
    i += size;
  }
  return { items, container: sp.end(), views, tokens };
}

function splitter(max?: number) {
  const items: unknown[] = [];
  const views: RecordView[] = [];
  const tokens: number[][] = [];
  const sp = new RecordSplitter((buf, s, e, _c, t, n) => {
    tokens.push([...t.subarray(0, n)]);
    items.push(JSON.parse(buf.toString('utf8', s, e)));
    const v = new RecordView();
    // Copy: the buffer may be reused by the caller after the callback.
    const copy = Buffer.from(buf.subarray(s, e));
    v.reset(copy, 0, copy.length, t.slice(0, n), n);
    views.push(v);
  }, max, loop());
  return { sp, items, views, tokens };
}

const tricky = [
  { eventName: 'A', eventTime: '2026-01-01T00:00:00Z', note: 'quote " and backslash \\ and {braces} [brackets]', userIdentity: { arn: 'arn:x' } },
  { eventName: 'B\\', eventTime: '2026-01-01T00:00:01Z', errorMessage: 'ends with backslash \\', nested: { a: [1, { b: '"}' }] } },
  { eventName: 'Ünïcödé ✓ 🚀', eventTime: '2026-01-01T00:00:02Z', readOnly: true, n: -1.5e3, z: null },
];

describe.each(LOOPS)('RecordSplitter (%s)', (_name, make) => {
  beforeEach(() => {
    loop = make;
  });
  const doc = JSON.stringify({ Records: tricky });

  it('returns every element of Records, whatever the chunk boundaries', () => {
    for (const sizes of [[1 << 20], [1], [2], [3], [7, 1, 13], [64]]) {
      const { items, container } = split(doc, sizes);
      expect(container).toBe('Records');
      expect(items).toEqual(tricky);
    }
  });

  it('notes top-level fields so a view reads them without parsing the record', () => {
    for (const sizes of [[1 << 20], [1], [5]]) {
      const { views } = split(doc, sizes);
      expect(views.map((v) => v.str(F.EventName))).toEqual(['A', 'B\\', 'Ünïcödé ✓ 🚀']);
      expect(views[1]?.str(F.ErrorMessage)).toBe('ends with backslash \\');
      expect(views[2]?.bool(F.ReadOnly)).toBe(true);
      expect(views[0]?.value(F.UserIdentity)).toEqual({ arn: 'arn:x' });
      expect(views[2]?.str(F.AwsRegion)).toBeNull();
    }
  });

  it('accepts other keys around Records, a bare array, and LookupEvents output', () => {
    expect(split(JSON.stringify({ a: { Records: 'no' }, b: [1, '2'], c: 3, Records: tricky, d: 'x' })).items).toEqual(tricky);
    expect(split(` \n${JSON.stringify(tricky)}\n`).container).toBe('array');
    const events = split(JSON.stringify({ Events: [{ EventId: '1', CloudTrailEvent: '{}' }], NextToken: 't' }));
    expect(events.container).toBe('Events');
    expect(events.items).toHaveLength(1);
    expect(split('\ufeff{"Records":[]}').items).toEqual([]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['not JSON', 'hello', /not JSON/],
    ['gzip bytes', '\u001f\u008b\u0008', /not JSON/],
    ['no Records', '{"foo":[1,2]}', /without a "Records" array/],
    ['Records not an array', '{"Records":{}}', /not an array/],
    ['truncated inside a record', '{"Records":[{"a":"b"', /ends inside record 1/],
    ['truncated between records', '{"Records":[{"a":1},', /ends before the Records array is closed, after 1 records/],
    ['not closed', '{"Records":[{"a":1}]', /ends early/],
    ['trailing data', '{"Records":[]} x', /after the end/],
    ['element not an object', '{"Records":[{"a":1},2]}', /record 2 is not a JSON object/],
    ['missing comma', '{"Records":[{"a":1}{"b":2}]}', /expected ',' or '\]' after record 1/],
    ['concatenated documents', '{"Records":[]}{"Records":[]}', /after the end/],
  ];
  it.each(bad)('rejects %s with a reason', (_name, text, reason) => {
    let err: unknown;
    try {
      split(text, [3]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SplitError);
    expect((err as Error).message).toMatch(reason);
  });

  it('refuses a record larger than the limit instead of buffering it', () => {
    const big = `{"Records":[{"a":"${'x'.repeat(5000)}"}]}`;
    expect(() => split(big, [100], 1024)).toThrow(/record 1 is larger than/);
    expect(() => split(big, [1 << 20], 1024)).toThrow(/record 1 is larger than/);
  });
});

describe('RecordSplitter in WebAssembly against JavaScript', () => {
  /** Records full of escapes, nesting and long strings: 3 MB, so one chunk spans several of the walk's 1 MiB windows. */
  const records = Array.from({ length: 3800 }, (_, i) => ({
    eventName: `Delete${i}${'\\'.repeat(i % 5)}`,
    eventTime: '2026-01-01T00:00:00Z',
    requestParameters: { q: `"}]${'\\"'.repeat(i % 7)}`, list: [i, { deep: [[`${'x'.repeat(i % 300)}\\`]] }] },
    note: `${'\\'.repeat(i % 3)}"${'y'.repeat((i * 37) % 1100)}`,
    readOnly: i % 2 === 0,
  }));
  const doc = JSON.stringify({ Records: records });

  it('finds the same records and the same tokens at every kind of boundary', () => {
    expect(doc.length).toBeGreaterThan(3 << 20);
    for (const sizes of [[doc.length], [1 << 20], [65_537, 3], [4093, 1, 2]]) {
      loop = LOOPS[1][1];
      const js = split(doc, sizes);
      loop = LOOPS[0][1];
      const wasm = split(doc, sizes);
      expect(wasm.items).toEqual(records);
      expect(wasm.tokens).toEqual(js.tokens);
    }
  });

  it('lets two splitters take turns in the middle of their records', () => {
    loop = LOOPS[0][1];
    const alone = split(doc, [4096]);
    const a = splitter();
    const b = splitter();
    const other = JSON.stringify({ Records: records.slice(0, 700).reverse() });
    const bytesA = Buffer.from(doc);
    const bytesB = Buffer.from(other);
    for (let i = 0; i < Math.max(bytesA.length, bytesB.length); i += 4096) {
      if (i < bytesA.length) a.sp.push(bytesA.subarray(i, i + 4096));
      if (i < bytesB.length) b.sp.push(bytesB.subarray(i, i + 4096));
    }
    a.sp.end();
    b.sp.end();
    expect(a.items).toEqual(records);
    expect(a.tokens).toEqual(alone.tokens);
    expect(b.items).toEqual(records.slice(0, 700).reverse());
  });

  it('makes room for a record with more top-level fields than it first holds tokens for', () => {
    const wide = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i % 2 ? `v${i}` : { n: i }]));
    const wideDoc = JSON.stringify({ Records: [wide, { ...wide, eventName: 'Last' }] });
    loop = LOOPS[1][1];
    const js = split(wideDoc, [100_000]);
    loop = LOOPS[0][1];
    const wasm = split(wideDoc, [100_000]);
    expect(wasm.tokens[0]?.length).toBeGreaterThan(4096 * 2);
    expect(wasm.tokens).toEqual(js.tokens);
    expect(wasm.views[1]?.str(F.EventName)).toBe('Last');
  });
});
