import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readExportFile } from '../../../electron/core/cloudtrail/import/export-reader';
import { F } from '../../../electron/core/cloudtrail/import/record-view';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-reader-');
afterAll(() => dir.cleanup());

const rec = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.11',
  eventTime: `2026-03-10T00:00:${String(i % 60).padStart(2, '0')}Z`,
  eventSource: 'rds.amazonaws.com',
  eventName: 'DescribeDBInstances',
  eventID: `id-${i}`,
  ...extra,
});
const doc = (records: unknown[]) => JSON.stringify({ Records: records });
const file = (name: string, content: string | Buffer) => {
  const p = join(dir.path, name);
  writeFileSync(p, content);
  return p;
};
const read = async (path: string, limits = {}) => {
  const names: string[] = [];
  const result = await readExportFile(path, (v) => names.push(v.str(F.EventID) ?? '?'), { limits });
  return { result, names };
};

describe('readExportFile', () => {
  it('reads .json and .json.gz alike, recognising gzip by content, not by name', async () => {
    const records = [rec(1), rec(2), rec(3)];
    const plain = await read(file('a.json', doc(records)));
    const gz = await read(file('b.json.gz', gzipSync(doc(records))));
    const misnamed = await read(file('c.json', gzipSync(doc(records))));
    for (const r of [plain, gz, misnamed]) {
      expect(r.result).toMatchObject({ status: 'ok', records: 3, reason: null });
      expect(r.names).toEqual(['id-1', 'id-2', 'id-3']);
    }
    expect(gz.result.gzip).toBe(true);
    expect(misnamed.result.gzip).toBe(true);
  });

  it('keeps the records before a truncated gzip and says why it stopped', async () => {
    const gz = gzipSync(doc(Array.from({ length: 2000 }, (_, i) => rec(i, { pad: 'x'.repeat(200 + (i % 97)) }))));
    const { result, names } = await read(file('truncated.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6))));
    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/truncated gzip/);
    expect(result.reason).toMatch(/after \d+ records/);
    expect(names.length).toBeGreaterThan(100);
    expect(names.length).toBe(result.records);
  });

  it('reports corrupt gzip, non-JSON, JSON without Records, empty files and missing files', async () => {
    const gz = gzipSync(doc([rec(1)]));
    gz[20] = (gz[20] as number) ^ 0xff;
    gz[21] = (gz[21] as number) ^ 0xff;
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['corrupt.json.gz', gz, /corrupt gzip|truncated gzip|cannot decompress|not JSON|malformed|not valid/],
      ['notes.json', 'these are my notes, not JSON', /not JSON/],
      ['digest-like.json', JSON.stringify({ awsAccountId: '1', logFiles: [] }), /without a "Records" array/],
      ['empty.json', '', /empty file/],
      ['html.json.gz', gzipSync('<html></html>'), /not JSON/],
    ];
    for (const [name, content, reason] of cases) {
      const { result } = await read(file(name, content));
      expect(result.status, name).toBe('failed');
      expect(result.reason, name).toMatch(reason);
    }
    const missing = await read(join(dir.path, 'nope.json.gz'));
    expect(missing.result).toMatchObject({ status: 'failed', reason: 'no such file' });
  });

  it('skips records of an unknown eventVersion major and records that are not CloudTrail records', async () => {
    const { result, names } = await read(file('versions.json', doc([rec(1), rec(2, { eventVersion: '2.0' }), rec(3, { eventVersion: '1.99' }), { hello: 'world' }])));
    expect(names).toEqual(['id-1', 'id-3']);
    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/1 record with unsupported eventVersion 2\.0 skipped/);
    expect(result.reason).toMatch(/no eventTime or eventName/);
    expect(result.eventVersions).toMatchObject({ '1.11': 1, '2.0': 1, '1.99': 1 });
    const allNew = await read(file('v3.json', doc([rec(1, { eventVersion: '3.1' })])));
    expect(allNew.result.status).toBe('failed');
  });

  it('refuses records without a valid eventTime, counting them per file with their positions, and keeps the good ones', async () => {
    const records = [rec(1), rec(2, { eventTime: 'yesterday' }), rec(3), { ...rec(4), eventTime: undefined }, rec(5, { eventTime: '' }), rec(6, { eventTime: '2026-02-30T25:00:00Z' })];
    const { result, names } = await read(file('bad-times.json', doc(records)));
    expect(names).toEqual(['id-1', 'id-3']);
    expect(result.status).toBe('partial');
    expect(result.refusedNoTime).toEqual({ count: 4, positions: [2, 4, 5, 6] });
    expect(result.reason).toMatch(/4 records refused for want of a valid eventTime \(records 2, 4, 5, 6\)/);
  });

  it('stops a gzip bomb at the inflated-size cap instead of reading it all', async () => {
    // Valid JSON that inflates enormously: a Records array padded with whitespace.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"Records":['), Buffer.alloc(32 * 1024 * 1024, 0x20), Buffer.from(']}')]), { level: 1 });
    const { result } = await read(file('bomb.json.gz', bomb), { ratioFloorBytes: 4 * 1024 * 1024, maxRatio: 100 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/gzip bomb/);
    expect(result.inflatedBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('reads LookupEvents pages (Events with CloudTrailEvent strings)', async () => {
    const page = { Events: [rec(7), rec(8)].map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) })), NextToken: 'abc' };
    const { result, names } = await read(file('page.json', JSON.stringify(page)));
    expect(result).toMatchObject({ status: 'ok', container: 'Events', records: 2 });
    expect(names).toEqual(['id-7', 'id-8']);
  });
});
