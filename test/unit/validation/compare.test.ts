import { describe, expect, it } from 'vitest';
import { formatCompare } from '../../../electron/cli/format/validation';
import { FirebreakError } from '../../../electron/core/errors';
import { captureBaseline } from '../../../electron/core/validation/baseline/baseline';
import { compareSummaryLine, compareWithBaseline } from '../../../electron/core/validation/baseline/compare';
import { parseBaselineCsv } from '../../../electron/core/validation/baseline/manifest';
import { schemaDrift } from '../../../electron/core/validation/baseline/schema-fingerprint';
import type { BaselineManifest, RunProgress } from '../../../electron/shared/validation';
import { def, fakeAdapter } from './fake-adapter';

const before = {
  'public.actor': { rows: 200, checksum: 'aaaaaaaaaaaaaaaa' },
  'public.film': { rows: 1000, checksum: 'bbbbbbbbbbbbbbbb' },
  'public.rental': { rows: 16044, checksum: 'cccccccccccccccc' },
  'public.staff': { rows: 2, checksum: 'dddddddddddddddd', definition: def(['id', 'integer'], ['name', 'text']) },
  'public.store': { rows: 2, checksum: 'eeeeeeeeeeeeeeee' },
};

describe('compareWithBaseline', () => {
  it('reports match, count mismatch with delta, checksum mismatch, missing, extra, schema drift and unreadable tables', async () => {
    const baseline = await captureBaseline(fakeAdapter(before));
    const after = fakeAdapter({
      'public.actor': before['public.actor'],
      'public.film': { rows: 1000, checksum: 'ffffffffffffffff' },
      'public.rental': { rows: 15924, checksum: '1111111111111111' },
      'public.staff': { rows: 2, checksum: 'dddddddddddddddd', definition: def(['id', 'bigint'], ['name', 'text'], ['email', 'text']) },
      'public.new_table': { rows: 7, checksum: '2222222222222222' },
      'audit.log': { rows: 1, checksum: '3333333333333333', error: 'Table audit.log may not be read by this user: permission denied' },
    });
    const r = await compareWithBaseline(after, baseline, { baselineSha256: 'ab'.repeat(32) });
    const by = Object.fromEntries(r.tables.map((t) => [t.table, t]));
    expect(r.match).toBe(false);
    expect(by['public.actor']).toMatchObject({ status: 'match', delta: 0 });
    expect(by['public.film']).toMatchObject({ status: 'checksum-mismatch', baselineRows: 1000, actualRows: 1000 });
    expect(by['public.rental']).toMatchObject({ status: 'count-mismatch', baselineRows: 16044, actualRows: 15924, delta: -120, message: '120 rows fewer than the baseline' });
    expect(by['public.staff']).toMatchObject({ status: 'schema-drift' });
    expect(by['public.staff']?.schemaDrift).toEqual(['column id: type integer -> bigint', 'column email added (text)']);
    expect(by['public.store']).toMatchObject({ status: 'missing', actualRows: null });
    expect(by['public.new_table']).toMatchObject({ status: 'extra', baselineRows: null, actualRows: 7 });
    expect(by['audit.log']).toMatchObject({ status: 'extra', actualRows: null, message: expect.stringMatching(/cannot be read either: .*permission denied/) });
    expect(r.summary).toMatchObject({ tables: 7, match: 1, countMismatch: 1, checksumMismatch: 1, schemaDrift: 1, missing: 1, extra: 2 });
    expect(r.baseline.sha256).toBe('ab'.repeat(32));
    expect(compareSummaryLine(r)).toMatch(/^6 of 7 tables differ: audit.log extra, public.film content, public.new_table extra, public.rental -120 rows/);
    expect(formatCompare(r)).toMatch(/MISMATCH: 6 of 7 tables differ \(1 count mismatch, 1 checksum mismatch, 1 schema drift, 1 missing, 2 extra\)/);
  });

  it('reports a table it may not read as an error for that table and goes on with the others', async () => {
    const baseline = await captureBaseline(fakeAdapter(before));
    const r = await compareWithBaseline(fakeAdapter({ ...before, 'public.film': { ...before['public.film'], error: 'Table public.film may not be read by this user: permission denied' } }), baseline);
    expect(r.tables.find((t) => t.table === 'public.film')).toMatchObject({ status: 'error', message: expect.stringMatching(/permission denied/) });
    expect(r.tables.filter((t) => t.status === 'match')).toHaveLength(4);
  });

  it('matches when nothing changed, and records progress per table', async () => {
    const baseline = await captureBaseline(fakeAdapter(before));
    const seen: RunProgress[] = [];
    const r = await compareWithBaseline(fakeAdapter(before), baseline, { onProgress: (p) => seen.push(p) });
    expect(r.match).toBe(true);
    expect(formatCompare(r)).toMatch(/MATCH: all 5 tables agree with the baseline \(17248 rows\)/);
    const last = seen.at(-1);
    expect(last).toMatchObject({ phase: 'finished', tablesTotal: 5, tablesDone: 5 });
    expect(last?.tables.every((t) => t.state === 'done')).toBe(true);
    expect(seen.some((p) => p.currentTable === 'public.rental' && p.tables.find((t) => t.table === 'public.rental')?.state === 'running')).toBe(true);
  });

  it('only counts against a CSV baseline, matching "actor" with "public.actor"', async () => {
    const csv = parseBaselineCsv('actor,200\npublic.film,999\n', 'counts.csv');
    const target = fakeAdapter({ 'public.actor': before['public.actor'], 'public.film': before['public.film'] });
    const r = await compareWithBaseline(target, csv);
    expect(target.measured).toEqual(['public.actor', 'public.film']);
    expect(r.tables.map((t) => [t.table, t.status, t.delta])).toEqual([
      ['public.actor', 'match', 0],
      ['public.film', 'count-mismatch', 1],
    ]);
    expect(r.notes[0]).toMatch(/row counts only/);
  });

  it('does not look for extra tables when the baseline covered chosen tables only, and says which were left out', async () => {
    const baseline = await captureBaseline(fakeAdapter(before), { tables: ['actor', 'public.film'] });
    expect(baseline.scope.tables).toEqual(['public.actor', 'public.film']);
    const r = await compareWithBaseline(fakeAdapter(before), baseline);
    // The chosen tables match; the compare is still partial: three tables of the database were never looked at.
    expect(r.match).toBe(true);
    expect(r.tables).toHaveLength(2);
    expect(r.coverage).toEqual({
      complete: false,
      scope: { schemas: null, tables: ['public.actor', 'public.film'] },
      notCompared: ['public.rental', 'public.staff', 'public.store'],
    });
    expect(r.notes.join()).toMatch(/Only the 2 tables chosen at capture were compared; 3 other tables were not looked at: public.rental, public.staff, public.store\./);
    expect(compareSummaryLine(r)).toBe('the 2 compared tables match the baseline; 3 tables were not compared (public.rental, public.staff, public.store)');
    expect(formatCompare(r)).toMatch(/PARTIAL MATCH: the 2 compared tables agree with the baseline \(1200 rows\), but 3 tables were not compared\./);
    expect(formatCompare(r)).not.toMatch(/^MATCH/m);
  });

  it('counts a compare as complete when the chosen tables are every table there is, and a full compare as complete', async () => {
    const small = { 'public.actor': before['public.actor'], 'public.film': before['public.film'] };
    const chosen = await compareWithBaseline(fakeAdapter(small), await captureBaseline(fakeAdapter(small), { tables: ['actor', 'film'] }));
    expect(chosen.coverage).toMatchObject({ complete: true, notCompared: [] });
    expect(chosen.notes.join()).toMatch(/Only the 2 tables chosen at capture were compared; no other table is in the database\./);
    const full = await compareWithBaseline(fakeAdapter(before), await captureBaseline(fakeAdapter(before)));
    expect(full.coverage).toEqual({ complete: true, scope: { schemas: null, tables: null }, notCompared: [] });
    expect(compareSummaryLine(full)).toBe('all 5 tables match the baseline');
  });

  it('names the tables of other schemas as not compared when the baseline covered chosen schemas only', async () => {
    const target = { ...before, 'audit.log': { rows: 9, checksum: '9999999999999999' } };
    const baseline = await captureBaseline(fakeAdapter(target), { schemas: ['public'] });
    expect(baseline.tables.map((t) => t.table)).not.toContain('audit.log');
    const r = await compareWithBaseline(fakeAdapter(target), baseline);
    expect(r.match).toBe(true);
    expect(r.coverage).toEqual({ complete: false, scope: { schemas: ['public'], tables: null }, notCompared: ['audit.log'] });
    expect(r.notes.join()).toMatch(/Only the tables in public were compared; 1 other table was not looked at: audit.log\./);
  });

  it('never matches having compared nothing: an empty baseline is refused, whatever its scope says', async () => {
    // The reproduction of the review: `tables: []` and `scope.tables: []` used to give match: true with 0 tables.
    const empty: BaselineManifest = { ...(await captureBaseline(fakeAdapter(before))), tables: [], scope: { schemas: null, tables: [] } };
    const target = fakeAdapter(before);
    await expect(compareWithBaseline(target, empty)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/lists no tables/) });
    await expect(compareWithBaseline(target, { ...empty, scope: { schemas: null, tables: null } })).rejects.toThrow(/lists no tables/);
    expect(target.measured).toEqual([]);
    // An empty scope list is not a scope: every table is compared, and the ones the baseline lacks are extra.
    const one = await captureBaseline(fakeAdapter(before), { tables: ['actor'] });
    const r = await compareWithBaseline(fakeAdapter(before), { ...one, scope: { schemas: [], tables: [] } });
    expect(r.match).toBe(false);
    expect(r.summary).toMatchObject({ tables: 5, match: 1, extra: 4 });
    expect(r.coverage).toMatchObject({ complete: true, notCompared: [] });
  });

  it('refuses to capture a baseline of a database with no tables', async () => {
    await expect(captureBaseline(fakeAdapter({}))).rejects.toMatchObject({ code: 'bad-input', message: 'postgresql://fake/db has no user tables: a baseline of no table could not prove a restore.' });
    await expect(captureBaseline(fakeAdapter(before), { schemas: ['audit'] })).rejects.toThrow(/has no user tables in audit/);
  });

  it('compares across engines without comparing column types', async () => {
    const pg = await captureBaseline(fakeAdapter({ 'public.t': { rows: 1, checksum: 'aaaaaaaaaaaaaaaa', definition: def(['id', 'integer']) } }));
    const r = await compareWithBaseline(fakeAdapter({ t: { rows: 1, checksum: 'aaaaaaaaaaaaaaaa', definition: def(['id', 'int(11)']) } }, 'mariadb'), pg);
    expect(r.match).toBe(true);
    expect(r.notes.join()).toMatch(/captured on postgresql and the target is mariadb/);
  });

  it('refuses unknown or ambiguous chosen tables before scanning anything', async () => {
    const target = fakeAdapter({ ...before, 'audit.actor': before['public.actor'] });
    await expect(captureBaseline(target, { tables: ['nope'] })).rejects.toThrow(/has no table "nope"/);
    await expect(captureBaseline(target, { tables: ['actor'] })).rejects.toThrow(FirebreakError);
    expect(target.measured).toEqual([]);
    const ok = await captureBaseline(target, { tables: ['audit.actor'] });
    expect(ok.tables.map((t) => t.table)).toEqual(['audit.actor']);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(captureBaseline(fakeAdapter(before), { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('schemaDrift', () => {
  it('describes removed, added, retyped, nullability, order and key changes', () => {
    const a = { ...def(['id', 'integer'], ['a', 'text'], ['b', 'text']), primaryKey: ['id'], uniqueKeys: [['a']], foreignKeys: [{ columns: ['b'], references: 'public.x', referencedColumns: ['id'] }] };
    const b = {
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'b', type: 'text', nullable: true },
        { name: 'a', type: 'varchar(10)', nullable: true },
      ],
      primaryKey: [],
      uniqueKeys: [],
      foreignKeys: [],
    };
    expect(schemaDrift(a, b, true)).toEqual([
      'column id: no longer accepts NULL',
      'column a: type text -> varchar(10)',
      'column order changed: id, a, b -> id, b, a',
      'primary key (id) -> none',
      'unique key (a) removed',
      'foreign key (b) -> public.x(id) removed',
    ]);
    expect(schemaDrift(a, b, false)).not.toContain('foreign key (b) -> public.x(id) removed');
  });
});
