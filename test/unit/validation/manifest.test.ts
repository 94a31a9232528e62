import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import { serializeManifest } from '../../../electron/core/validation/baseline/baseline';
import { parseBaselineCsv, parseBaselineFile, parseBaselineJson } from '../../../electron/core/validation/baseline/manifest';
import type { BaselineManifest } from '../../../electron/shared/validation';

const fixed = () => new Date('2026-05-01T12:00:00Z');
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FirebreakError);
    const err = e as FirebreakError;
    return [err.message, ...(err.details ?? [])].join('\n');
  }
  throw new Error('expected an error');
};

describe('CSV baselines', () => {
  it('reads table,rows with or without a header, quotes, CRLF, BOM and comments', () => {
    const m = parseBaselineCsv('\uFEFFtable,rows\r\n# from Grafana\r\n"public.odd, ""name""",12\r\nactor,200\r\n\r\n', 'counts.csv', fixed);
    expect(m).toMatchObject({ source: 'csv', engine: null, checksumAlgorithm: null, capturedAt: '2026-05-01T12:00:00.000Z' });
    expect(m.tables.map((t) => [t.table, t.rows, t.checksum])).toEqual([
      ['public.odd, "name"', 12, null],
      ['actor', 200, null],
    ]);
    expect(parseBaselineCsv('a,1\nb,2', 'x.csv').tables.map((t) => t.rows)).toEqual([1, 2]);
  });

  it('takes the table and rows columns of a wider file such as the reference ROWCOUNTS.csv', () => {
    const text = readFileSync('/work/shared/reference/db/ROWCOUNTS.csv', 'utf8');
    const pagila = text
      .split('\n')
      .filter((l, i) => i === 0 || l.startsWith('pagila/'))
      .join('\n');
    const m = parseBaselineFile(pagila, 'ROWCOUNTS.csv');
    expect(m.tables).toHaveLength(21);
    expect(m.tables.find((t) => t.table === 'public.rental')?.rows).toBe(16044);
    expect(m.tables.reduce((s, t) => s + (t.rows ?? 0), 0)).toBe(49636);
  });

  it('treats a table literally named "table" with a count as data', () => {
    expect(parseBaselineCsv('table,5\n', 'x.csv').tables[0]).toMatchObject({ table: 'table', rows: 5 });
  });

  it('names the file and line of every mistake', () => {
    expect(failure(() => parseBaselineCsv('actor,200\nfilm,lots\n', 'c.csv'))).toMatch(/c\.csv line 2: rows for "film" must be a whole number of rows, got "lots"/);
    expect(failure(() => parseBaselineCsv('actor,-1\n', 'c.csv'))).toMatch(/line 1: .*got "-1"/);
    expect(failure(() => parseBaselineCsv('actor,1\nactor,2\n', 'c.csv'))).toMatch(/line 2: table "actor" was already given on line 1/);
    expect(failure(() => parseBaselineCsv('actor\n', 'c.csv'))).toMatch(/line 1: expected table,rows/);
    expect(failure(() => parseBaselineCsv(',3\n', 'c.csv'))).toMatch(/table name is empty/);
    expect(failure(() => parseBaselineCsv('table,count_x\nx,1\n', 'c.csv'))).toMatch(/header needs a "table" and a "rows" column/);
    expect(failure(() => parseBaselineCsv('"open,1\n', 'c.csv'))).toMatch(/quoted field is not closed/);
    expect(failure(() => parseBaselineCsv('# nothing\n\n', 'c.csv'))).toMatch(/no table,rows lines/);
  });
});

describe('JSON manifests', () => {
  const valid: BaselineManifest = {
    format: 'firebreak-baseline',
    version: 1,
    source: 'capture',
    engine: 'postgresql',
    serverVersion: '15.2',
    target: 'postgres://u@h/d',
    database: 'd',
    capturedAt: '2026-05-01T12:00:00.000Z',
    checksumAlgorithm: 'firebreak-rowsum-md5-v1',
    scope: { schemas: null, tables: null },
    tables: [{ table: 'public.a', schema: 'public', name: 'a', rows: 3, checksum: '0123456789abcdef', schemaFingerprint: null, definition: null }],
  };

  it('round-trips a manifest', () => {
    expect(parseBaselineFile(serializeManifest(valid), 'b.json')).toEqual(valid);
  });

  it('says where a malformed manifest is wrong', () => {
    expect(failure(() => parseBaselineJson('{"format": ', 'b.json'))).toMatch(/b\.json is not valid JSON/);
    const bad = { ...valid, version: 2, tables: [{ ...valid.tables[0], rows: -4, checksum: 'XYZ' }] };
    const msg = failure(() => parseBaselineJson(JSON.stringify(bad), 'b.json'));
    expect(msg).toMatch(/b\.json is not a Firebreak baseline manifest/);
    expect(msg).toMatch(/version: version must be 1/);
    expect(msg).toMatch(/tables\.0\.rows/);
    expect(msg).toMatch(/tables\.0\.checksum: a checksum is 16 lowercase hex digits/);
    const dup = { ...valid, tables: [valid.tables[0], valid.tables[0]] };
    expect(failure(() => parseBaselineJson(JSON.stringify(dup), 'b.json'))).toMatch(/"public\.a" is listed twice/);
    expect(failure(() => parseBaselineFile('{"hello": 1}', 'b.json'))).toMatch(/format: format must be "firebreak-baseline"/);
  });

  it('refuses a baseline of no table and an empty scope list, which would let a compare match having compared nothing', () => {
    const empty = failure(() => parseBaselineFile(serializeManifest({ ...valid, tables: [], scope: { schemas: null, tables: [] } }), 'empty.json'));
    expect(empty).toMatch(/empty\.json is not a Firebreak baseline manifest/);
    expect(empty).toMatch(/tables: a baseline lists at least one table; one with none could not prove a restore/);
    expect(empty).toMatch(/scope\.tables: scope\.tables must be null \(every table\) or name at least one table/);
    expect(failure(() => parseBaselineJson(JSON.stringify({ ...valid, scope: { schemas: [], tables: null } }), 'b.json'))).toMatch(
      /scope\.schemas: scope\.schemas must be null \(every schema\) or name at least one schema/,
    );
    expect(failure(() => parseBaselineJson(JSON.stringify({ ...valid, tables: [] }), 'b.json'))).toMatch(/tables: a baseline lists at least one table/);
    // A chosen-tables scope that names tables is fine.
    expect(parseBaselineJson(JSON.stringify({ ...valid, scope: { schemas: null, tables: ['public.a'] } }), 'b.json').scope.tables).toEqual(['public.a']);
  });
});
