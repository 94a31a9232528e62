import { describe, expect, it } from 'vitest';
import { F, RecordView } from '../../../electron/core/cloudtrail/import/record-view';
import { type RecordContainer, RecordSplitter, SplitError } from '../../../electron/core/cloudtrail/import/splitter';

/** Feeds text in chunks of the given sizes (cycled) and returns the parsed elements. */
function split(text: string, sizes: number[] = [1 << 20], max?: number): { items: unknown[]; container: RecordContainer; views: RecordView[] } {
  const items: unknown[] = [];
  const views: RecordView[] = [];
  const sp = new RecordSplitter((buf, s, e, _c, tokens, n) => {
    items.push(JSON.parse(buf.toString('utf8', s, e)));
    const v = new RecordView();
    // Copy: the buffer may be reused by the caller after the callback.
    const copy = Buffer.from(buf.subarray(s, e));
    v.reset(copy, 0, copy.length, tokens.slice(0, n), n);
    views.push(v);
  }, max);
  const bytes = Buffer.from(text, 'utf8');
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const size = sizes[k++ % sizes.length] as number;
    sp.push(bytes.subarray(i, i + size));
    i += size;
  }
  return { items, container: sp.end(), views };
}

const tricky = [
  { eventName: 'A', eventTime: '2026-01-01T00:00:00Z', note: 'quote " and backslash \\ and {braces} [brackets]', userIdentity: { arn: 'arn:x' } },
  { eventName: 'B\\', eventTime: '2026-01-01T00:00:01Z', errorMessage: 'ends with backslash \\', nested: { a: [1, { b: '"}' }] } },
  { eventName: 'Ünïcödé ✓ 🚀', eventTime: '2026-01-01T00:00:02Z', readOnly: true, n: -1.5e3, z: null },
];

describe('RecordSplitter', () => {
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
