import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/core/cloudtrail/analyse/analyzer';
import { loadCloudRiskTables } from '../../../electron/core/cloudtrail/analyse/cloud-high-risk';
import { loadIncidentRiskTable } from '../../../electron/core/cloudtrail/analyse/incident-risk-table';
import { scanCloudLogs } from '../../../electron/core/cloudtrail/analyse/logs-scan';
import { RowEncoder } from '../../../electron/core/cloudtrail/analyse/row-batch';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { agentMatcher } from '../../../electron/core/cloudtrail/import/agents';
import { gcpEvent } from '../../../electron/core/cloudtrail/model/gcp-adapter';
import { cloudEventRow } from '../../../electron/core/cloudtrail/store/cloud-event-row';
import { storedEvent } from '../../../electron/core/cloudtrail/store/events-repository';
import { formatScanReport } from '../../../electron/cli/format/cloudtrail';
import { repoRoot } from '../../helpers/core';
import { GCP_AGENT, gcpEntries, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { AGENT_ROLE_ARN } from '../../helpers/cloudtrail-corpus';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-destructive-order-');
afterAll(() => dir.cleanup());
const T0 = Date.parse('2026-03-10T09:00:05Z');

/** Deletion protection off (instances.update), then the delete 100 ms later: the later call is in the file read first. */
function gcpPair(root: string): { del: Record<string, unknown>; update: Record<string, unknown> } {
  const call = (ms: number, method: string, insertId: string) =>
    gcpEntries({ ms, method, service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId })[0] as Record<string, unknown>;
  const del = call(T0 + 100, 'cloudsql.instances.delete', 'aaa-delete');
  const update = call(T0, 'cloudsql.instances.update', 'zzz-update');
  writeJsonLines(join(root, 'a-read-first.json'), [del]);
  writeJsonLines(join(root, 'b-read-second.json'), [update]);
  return { del, update };
}

/** An agent's CloudTrail call at a whole second. */
const ctCall = (eventID: string, eventName: string, requestParameters: Record<string, unknown>) => ({
  eventVersion: '1.10',
  eventID,
  eventName,
  eventSource: 'rds.amazonaws.com',
  eventTime: '2026-03-10T09:00:05Z',
  eventType: 'AwsApiCall',
  awsRegion: 'eu-west-1',
  readOnly: false,
  sourceIPAddress: '203.0.113.9',
  userAgent: 'Boto3/1.34.0',
  requestParameters,
  userIdentity: { type: 'AssumedRole', arn: `${AGENT_ROLE_ARN.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/run-1`, accountId: '111122223333', sessionContext: { sessionIssuer: { type: 'Role', arn: AGENT_ROLE_ARN, userName: 'ai-agent-prod' } } },
});

describe('the first destructive call at the resolution each source has', () => {
  it('logs scan: GCP calls 100 ms apart come in time order whatever order their files were read in', async () => {
    const root = join(dir.path, 'gcp-scan');
    mkdirSync(root);
    gcpPair(root);
    const r = await scanCloudLogs([root], { resourcesDir: repoRoot, agents: [GCP_AGENT] });
    expect(r.highRisk.map((h) => [h.operation, h.simultaneous])).toEqual([
      ['cloudsql.instances.update', false],
      ['cloudsql.instances.delete', false],
    ]);
  });

  it('logs scan: a long-running delete read last entry first (gcloud logging read is newest first) is one call at its first entry time', async () => {
    const root = join(dir.path, 'gcp-newest-first');
    mkdirSync(root);
    const [first, last] = gcpEntries({ ms: T0, method: 'cloudsql.instances.delete', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: 'lro-7', longRunning: true });
    writeFileSync(join(root, 'gcloud-read.json'), JSON.stringify([last, first]));
    const r = await scanCloudLogs([root], { resourcesDir: repoRoot, agents: [GCP_AGENT] });
    expect(r.byCloud.gcp).toBe(1);
    expect(r.highRisk.map((h) => [h.operation, Date.parse(h.eventTime)])).toEqual([['cloudsql.instances.delete', Date.parse(String(first?.timestamp))]]);
  });

  it('incident analysis: stored GCP calls keep their milliseconds, so the update comes first and neither is simultaneous', () => {
    const root = join(dir.path, 'gcp-stored');
    mkdirSync(root);
    const { del, update } = gcpPair(root);
    const table = loadIncidentRiskTable(repoRoot);
    const tables = loadCloudRiskTables(repoRoot);
    const rulesById = new Map(table.rules.map((x) => [x.id, x]));
    const matcher = agentMatcher([GCP_AGENT]);
    const analyzer = new Analyzer(table, [GCP_AGENT]);
    const source = analyzer.newSource();
    const encoder = new RowEncoder(table, matcher, 64, (b) => analyzer.consume(b, source));
    // Stored in the order they were read (the delete first), as an import stores them.
    for (const [i, record] of [del, update].entries()) {
      const g = gcpEvent(record, 'x.json', i + 1);
      if ('refused' in g) throw new Error(g.refused);
      const rules = tables.match(g.event).map((x) => x.id);
      const row = cloudEventRow(g.event, { incidentId: 'IR-1', collectionId: 'c', evidenceId: null, rules, attack: [], agent: null, started: false, paired: false, record: '{}' });
      const { ev, resources } = storedEvent(row);
      encoder.addNormalized(ev, matcher.match(ev.identity), rules.map((id) => rulesById.get(id)).filter((x) => x !== undefined), () => resources);
    }
    encoder.flush();
    const report = analyzer.report([], {});
    expect(report.highRisk.map((h) => [h.eventName, h.simultaneous])).toEqual([
      ['cloudsql.instances.update', false],
      ['cloudsql.instances.delete', false],
    ]);
    expect(report.agents[0]?.firstDestructive.map((f) => [f.eventName, f.simultaneous])).toEqual([
      ['cloudsql.instances.update', false],
      ['cloudsql.instances.delete', false],
    ]);
  });

  it('cloudtrail scan and logs scan: two CloudTrail calls in one second are simultaneous, in the order read, never by event id', async () => {
    const root = join(dir.path, 'ct');
    mkdirSync(root);
    writeFileSync(
      join(root, 'trail.json'),
      JSON.stringify({
        Records: [
          ctCall('ccc-modify', 'ModifyDBInstance', { dBInstanceIdentifier: 'ledger', backupRetentionPeriod: 0 }),
          ctCall('aaa-delete', 'DeleteDBInstance', { dBInstanceIdentifier: 'ledger' }),
        ],
      }),
    );
    const r = await scanExports([root], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
    expect(r.highRisk.map((h) => [h.eventID, h.simultaneous])).toEqual([
      ['ccc-modify', true],
      ['aaa-delete', true],
    ]);
    expect(r.agents[0]?.firstDestructive.map((f) => [f.eventID, f.simultaneous])).toEqual([
      ['ccc-modify', true],
      ['aaa-delete', true],
    ]);
    expect(formatScanReport(r)).toMatch(/ModifyDBInstance \(same second: order unknown\)/);
    const logs = await scanCloudLogs([root], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN] });
    expect(logs.highRisk.map((h) => [h.eventID, h.simultaneous])).toEqual([
      ['ccc-modify', true],
      ['aaa-delete', true],
    ]);
  });
});

const REF = resolve(repoRoot, '..', 'shared', 'reference');

describe('cloudtrail scan in worker threads', () => {
  it('reports calls of one second in the order one thread reads the files, whatever the number of threads', async () => {
    // The larger file is read first by a pool that hands out the largest files first; the analysis must still see
    // the smaller file's delete first, as one thread reading the folder in order does.
    const root = join(dir.path, 'ct-threads');
    mkdirSync(root);
    const describe = (i: number) => ({ ...ctCall(`read-${i}`, 'DescribeDBInstances', {}), eventTime: `2026-03-10T08:${String(i % 60).padStart(2, '0')}:00Z`, readOnly: true });
    writeFileSync(join(root, 'a.json'), JSON.stringify({ Records: [ctCall('zzz-delete-a', 'DeleteDBInstance', { dBInstanceIdentifier: 'ledger-a' })] }));
    writeFileSync(
      join(root, 'b.json'),
      JSON.stringify({ Records: [...Array.from({ length: 200 }, (_, i) => describe(i)), ctCall('aaa-delete-b', 'DeleteDBInstance', { dBInstanceIdentifier: 'ledger-b' })] }),
    );
    const reports = [];
    for (const workers of [0, 1, 2]) reports.push(await scanExports([root], { resourcesDir: repoRoot, agents: [AGENT_ROLE_ARN], workers }));
    const [one] = reports;
    expect(one?.agents[0]?.firstDestructive.map((f) => f.eventID)).toEqual(['zzz-delete-a']);
    expect(one?.highRisk.map((h) => [h.eventID, h.simultaneous])).toEqual([
      ['zzz-delete-a', true],
      ['aaa-delete-b', true],
    ]);
    for (const r of reports) expect(JSON.stringify(r)).toBe(JSON.stringify(one));
  });

  it('gives the same JSON as one thread on the recorded CloudTrail samples', async () => {
    const paths = [join(REF, 'cloudtrail', 'samples')];
    const one = await scanExports(paths, { resourcesDir: repoRoot, agents: ['ai-agent-prod'], workers: 0 });
    const pooled = await scanExports(paths, { resourcesDir: repoRoot, agents: ['ai-agent-prod'], workers: 2 });
    expect(one.records).toBeGreaterThan(1000);
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(one));
  });
});

describe('logs scan in worker threads', () => {
  it('gives the same JSON as one thread on the recorded CloudTrail, Azure and GCP samples', async () => {
    const paths = [join(REF, 'cloudtrail', 'samples'), join(REF, 'azure-activity'), join(REF, 'gcp-audit')];
    const agents = ['ai-agent-prod', 'dvwa-service-account@ketchup.iam.gserviceaccount.com', '12345678-9abc-defg-hijk-lmnopqrstuvw'];
    let threads = -1;
    const one = await scanCloudLogs(paths, { resourcesDir: repoRoot, agents, workers: 0, onReaders: (n) => (threads = n) });
    expect(threads).toBe(0);
    const pooled = await scanCloudLogs(paths, { resourcesDir: repoRoot, agents, workers: 2, onReaders: (n) => (threads = n) });
    expect(threads).toBe(2);
    expect(one.records).toBeGreaterThan(1000);
    expect(one.byCloud.aws * one.byCloud.azure * one.byCloud.gcp).toBeGreaterThan(0);
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(one));
  });
});
