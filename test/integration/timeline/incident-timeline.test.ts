import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { TimelinePage } from '../../../electron/shared/cloudtrail';
import type { IncidentTimelineFilter, TimelineCursor, TimelineEntry, TimelineSlice } from '../../../electron/shared/timeline';
import { AGENT_ROLE_ARN, cloudTrailOf, otlpScenario } from '../../helpers/agent-scenario';
import { generateCorpus } from '../../helpers/cloudtrail-corpus';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { type LoggingPostgres, startLoggingPostgres } from '../validation/log-servers';

const dir = tempDir('firebreak-timeline-');
let core: Core;
let postgres: LoggingPostgres | null = null;
let incidentId = '';
let bigIncident = '';

const page = (id: string, filter: IncidentTimelineFilter, after?: TimelineCursor, limit = 1000) =>
  call<TimelineSlice>(core, 'timeline.page', { incidentId: id, filter, limit, ...(after ? { after } : {}) });

/** Every entry the filter matches, read page by page by key. */
async function walk(id: string, filter: IncidentTimelineFilter, limit: number): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  let after: TimelineCursor | undefined;
  for (;;) {
    const p = await page(id, filter, after, limit);
    out.push(...p.entries);
    if (!p.next) return out;
    expect(p.entries).toHaveLength(limit);
    after = p.next;
  }
}

/** The cloud list as the Cloud logs tab read it before, by offset, 1,000 at a time. */
async function offsetList(filter: IncidentTimelineFilter): Promise<TimelinePage> {
  const events: TimelinePage['events'] = [];
  for (;;) {
    const p = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId: bigIncident, filter, offset: events.length, limit: 1000 });
    events.push(...p.events);
    if (events.length >= p.total) return { ...p, events };
  }
}

const order = (a: TimelineCursor, b: TimelineCursor) => a.t - b.t || a.s - b.s || a.r - b.r;
const label = (e: TimelineEntry) => (e.source === 'cloud' ? e.event.eventName : e.source === 'agent' ? e.call.name : `${e.statement.operation} ${e.statement.table ?? ''}`.trim());

beforeAll(async () => {
  core = testCore(join(dir.path, 'data'));
  postgres = await startLoggingPostgres(dir.path);
  // The agent's own database session, logged by the server itself.
  await postgres.query('CREATE TABLE orders_archive (id int PRIMARY KEY); INSERT INTO orders_archive VALUES (1), (2)');
  await postgres.query('DROP TABLE orders_archive');
  // The trace starts 2 to 3 s before the statements: its describe call comes before them, its delete call after. Whole
  // seconds, so each tool call and the CloudTrail call it caused (200-300 ms later) share a second.
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 3000;
  const { json, times } = otlpScenario(t0);
  const traceFile = join(dir.path, 'otel.json');
  const trail = join(dir.path, 'trail.json');
  writeFileSync(traceFile, json);
  writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'tl')));
  incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'One timeline', params: { agent_role_arn: AGENT_ROLE_ARN } })).id;
  await call(core, 'cloudtrail.import', { incidentId, paths: [trail] });
  await call(core, 'validation.importDbLogs', { incidentId, paths: [postgres.csvlog] });
  await call(core, 'trace.import', { incidentId, paths: [traceFile] });

  const corpus = generateCorpus({ dir: join(dir.path, 'corpus'), records: 3000, recordsPerFile: 500, agentHighRisk: 40 });
  bigIncident = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Three thousand calls' })).id;
  await call(core, 'cloudtrail.import', { incidentId: bigIncident, paths: corpus.files });
}, 180_000);

afterAll(async () => {
  core?.close();
  await postgres?.stop();
  dir.cleanup();
});

describe('the incident timeline: cloud calls, database statements and tool calls on one axis', () => {
  it('merges the three sources in time order, then source (tool call, cloud call, statement), then row', async () => {
    const all = await page(incidentId, {});
    expect(all.next).toBeNull();
    const sources = new Set(all.entries.map((e) => e.source));
    expect([...sources].sort()).toEqual(['agent', 'cloud', 'database']);
    expect(all.count).toMatchObject({ capped: false, bySource: { agent: 3, cloud: 3 } });
    expect(all.count?.bySource.database).toBeGreaterThanOrEqual(2);
    expect(all.count?.value).toBe(all.entries.length);
    for (let i = 1; i < all.entries.length; i++) expect(order((all.entries[i - 1] as TimelineEntry).cursor, (all.entries[i] as TimelineEntry).cursor)).toBeLessThan(0);
    for (const e of all.entries) expect(e.timeMs).toBe(Math.round(Date.parse(e.at)));
    const names = all.entries.map(label);
    // The tool call, then the cloud call it made 300 ms later; the statement the agent ran lands between the two deletes.
    expect(names.indexOf('delete_db_instance')).toBeLessThan(names.indexOf('DeleteDBInstance'));
    expect(names.indexOf('describe_db_instances')).toBeLessThan(names.indexOf('DescribeDBInstances'));
    expect(names.indexOf('DROP TABLE orders_archive')).toBeLessThan(names.indexOf('DeleteDBInstance'));
    expect(names.indexOf('DROP TABLE orders_archive')).toBeGreaterThan(names.indexOf('DescribeDBInstances'));
  });

  it('pages by key: two at a time reads the same entries in the same order, each once', async () => {
    const all = (await page(incidentId, {})).entries.map((e) => e.key);
    const paged = (await walk(incidentId, {}, 2)).map((e) => e.key);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('shows a tool call and the CloudTrail call of the same whole second as simultaneous, and marks destructive entries', async () => {
    const all = (await page(incidentId, {})).entries;
    const by = (name: string) => all.find((e) => label(e) === name);
    expect(by('DeleteDBInstance')).toMatchObject({ simultaneous: true, destructive: true });
    expect(by('delete_db_instance')).toMatchObject({ simultaneous: true, destructive: true });
    // The bucket deletion two minutes later has nothing else in its second.
    expect(by('DeleteBucket')).toMatchObject({ simultaneous: false, destructive: true });
    expect(by('DROP TABLE orders_archive')).toMatchObject({ destructive: true });
    expect(by('CREATE TABLE orders_archive')).toMatchObject({ destructive: false });
  });

  it('filters by source, destructive entries and text across the sources', async () => {
    const onlyDb = await page(incidentId, { sources: ['database'] });
    expect(new Set(onlyDb.entries.map((e) => e.source))).toEqual(new Set(['database']));
    expect(onlyDb.count?.bySource).toMatchObject({ agent: 0, cloud: 0 });
    const toolsAndDb = await page(incidentId, { sources: ['agent', 'database'] });
    expect(new Set(toolsAndDb.entries.map((e) => e.source))).toEqual(new Set(['agent', 'database']));

    const destructive = await page(incidentId, { destructiveOnly: true });
    expect(destructive.entries.every((e) => e.destructive)).toBe(true);
    expect(destructive.entries.map(label)).toEqual(expect.arrayContaining(['delete_db_instance', 'run_sql', 'DeleteDBInstance', 'DeleteBucket', 'DROP TABLE orders_archive']));
    expect(destructive.entries.map(label)).not.toContain('describe_db_instances');

    const text = await page(incidentId, { text: 'orders_archive' });
    expect(text.entries.map((e) => e.source).sort()).toEqual(expect.arrayContaining(['agent', 'database']));
    expect(text.entries.some((e) => e.source === 'cloud')).toBe(false);
    expect(text.entries.map(label)).toContain('run_sql');

    // A cloud-only filter shows cloud calls alone.
    const aws = await page(incidentId, { cloud: 'aws' });
    expect(aws.entries.map((e) => e.source)).toEqual(['cloud', 'cloud', 'cloud']);
  });

  it('reads 3,000 CloudTrail calls by key in exactly the order and with exactly the rows of the cloud list, for each filter', async () => {
    const filters: IncidentTimelineFilter[] = [{}, { highRiskOnly: true }, { errorsOnly: true }, { agentOnly: true }, { text: 'delete' }, { text: 'terraform' }, { cloud: 'aws', text: 'Put' }];
    for (const filter of filters) {
      const list = await offsetList(filter);
      const keyed = await walk(bigIncident, filter, 97);
      expect(keyed.map((e) => (e.source === 'cloud' ? e.event.eventID : e.key)), JSON.stringify(filter)).toEqual(list.events.map((e) => e.eventID));
      expect(keyed.map((e) => e.source === 'cloud' && e.event.simultaneous)).toEqual(list.events.map((e) => e.simultaneous));
      const first = await page(bigIncident, filter, undefined, 10);
      expect(first.count?.value, JSON.stringify(filter)).toBe(list.total);
    }
    expect((await page(bigIncident, { text: 'delete' })).entries.length).toBeGreaterThan(0);
  });

  it('counts exactly below the cap', async () => {
    const first = await page(bigIncident, {}, undefined, 10);
    expect(first.count).toMatchObject({ value: 3000, capped: false, cap: 10_000 });
  });

  it('names an unknown incident', async () => {
    const r = await core.call('timeline.page', { incidentId: 'IR-2099-9999' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('There is no incident IR-2099-9999');
  });
});
