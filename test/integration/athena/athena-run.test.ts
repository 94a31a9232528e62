import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import type { Core } from '../../../electron/core/core';
import { objectPath } from '../../../electron/core/evidence/store';
import type { AthenaPlan, AthenaRunResult } from '../../../electron/shared/athena';
import type { CloudTrailFinding } from '../../../electron/shared/cloudtrail';
import type { Incident, LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { type AthenaTestServer, type PrecomputedAnswer, startAthenaServer } from '../../helpers/athena-server';
import { athenaColumns, athenaRowOf } from '../../helpers/athena-rows';
import { useTestAwsCredentials } from '../../helpers/aws-test-credentials';
import { ACCOUNT, AGENT_ROLE_ARN, agentStory } from '../../helpers/cloudtrail-corpus';
import { call, repoRoot, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const ACCESS_KEY = 'AKIAFBATHENATEST0001';
const now = new Date();
const story = agentStory(now);
const table = loadHighRiskTable(repoRoot);
const isAgent = (e: Record<string, unknown>) => String((e.userIdentity as { arn?: string }).arn).includes('/ai-agent-prod/');
/** What Athena returns for the high-risk query over a bucket holding the story: candidates by name, and the agent's calls. */
const matching = story.filter((e) => isAgent(e) || (table.candidates(String(e.eventSource), String(e.eventName))?.length ?? 0) > 0);
const ruleOf = (e: Record<string, unknown>) => table.candidates(String(e.eventSource), String(e.eventName))?.[0]?.id;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const start = new Date(now.getTime() - 7 * 86_400_000).toISOString();

type Answers = Partial<Record<'create' | 'high-risk' | 'identity' | 'blast', PrecomputedAnswer>>;
const defaults = (): Required<Answers> => ({
  create: { end: 'SUCCEEDED', bytesScanned: 0 },
  'high-risk': { end: 'SUCCEEDED', bytesScanned: 734_003_200, columns: athenaColumns, rowCount: matching.length, row: (i) => athenaRowOf(matching[i] as Record<string, unknown>, ruleOf(matching[i] as Record<string, unknown>)) },
  identity: {
    end: 'SUCCEEDED',
    bytesScanned: 734_003_200,
    columns: ['principal_arn', 'minute', 'calls', 'errors', 'writes'],
    rowCount: 3,
    row: (i) => [[`arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/agent-run-42`, '2026-03-02T10:00', '40', '2', '12'], [`arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/agent-run-42`, '2026-03-02T10:01', '35', '0', '9'], ['arn:aws:iam::111122223333:user/alice', '2026-03-02T09:00', '3', '0', '0']][i] as string[],
  },
  blast: { end: 'SUCCEEDED', bytesScanned: 734_003_200, columns: ['principal_arn', 'eventsource', 'resource', 'writes'], rowCount: 1, row: () => [`arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/agent-run-42`, 'rds.amazonaws.com', `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-prod`, '1'] },
});

let server: AthenaTestServer;
let answers: Required<Answers>;
let dir: ReturnType<typeof tempDir>;
let core: Core;

useTestAwsCredentials(ACCESS_KEY);
beforeEach(async () => {
  answers = defaults();
  server = await startAthenaServer({
    accessKeys: [ACCESS_KEY],
    answer: (sql) =>
      sql.startsWith('CREATE EXTERNAL TABLE') ? answers.create : sql.includes('matched_rule') ? answers['high-risk'] : sql.includes('UNNEST(resources)') ? answers.blast : answers.identity,
  });
  dir = tempDir('firebreak-athena-');
  core = testCore(dir.path);
});
afterEach(async () => {
  core.close();
  dir.cleanup();
  await server.close();
});

const newIncident = async () => (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params: { agent_role_arn: AGENT_ROLE_ARN, aws_account_id: ACCOUNT } })).id;
const input = (incidentId: string) => ({
  incidentId,
  database: 'ir_forensics',
  table: 'cloudtrail_org',
  createTable: true,
  bucket: 's3://org-trail-logs/trails',
  organizationId: 'o-a1b2c3d4e5',
  regions: REGIONS,
  start,
  workgroup: 'incident-response',
  output: 's3://athena-results-bucket/firebreak/',
});
const run = (incidentId: string, extra: Record<string, unknown> = {}, signal?: AbortSignal, onProgress?: (p: unknown) => void) =>
  core.call('athena.run', { ...input(incidentId), confirm: true, endpoint: server.url, athenaRegion: 'us-east-1', ...extra }, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });

describe('cloudtrail athena', () => {
  it('plans without sending anything, and refuses to run without confirm', async () => {
    const id = await newIncident();
    const plan = await call<AthenaPlan>(core, 'athena.plan', input(id));
    expect(plan.ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `ir_forensics`.`cloudtrail_org`');
    expect(plan.queries.map((q) => q.name)).toEqual(['high-risk-events', 'identity-activity', 'blast-radius']);
    expect(plan.scope.accounts).toEqual([ACCOUNT]);
    // A 7-day window from mid-day touches 8 day folders, in 1 account and 3 Regions.
    expect(plan.estimate.partitions).toBe(8 * 1 * 3);
    expect(plan.estimate.usd).toBeGreaterThan(0);
    const refused = await core.call('athena.run', { ...input(id), endpoint: server.url });
    expect(refused.ok).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it('runs the DDL and every query, brings the events in like an import, and keeps SQL, ids, bytes and hashes as evidence', async () => {
    const id = await newIncident();
    const r = await run(id);
    if (!r.ok) throw new Error(r.error.message);
    const result = r.value as AthenaRunResult;
    const started = server.requests.filter((q) => q.target === 'AmazonAthena.StartQueryExecution');
    expect(started.map((q) => q.body.QueryString)).toEqual([result.plan.ddl, ...result.plan.queries.map((q) => q.sql)]);
    expect(started.every((q) => q.body.WorkGroup === 'incident-response' && (q.body.ResultConfiguration as { OutputLocation: string }).OutputLocation === 's3://athena-results-bucket/firebreak/')).toBe(true);
    expect(started.every((q) => (q.body.QueryExecutionContext as { Database: string }).Database === 'ir_forensics')).toBe(true);
    expect(result.executions.map((x) => x.name)).toEqual(['create-table', 'high-risk-events', 'identity-activity', 'blast-radius']);
    expect(result.events).toBe(matching.length);
    expect(result.newEvents).toBe(new Set(matching.map((e) => e.eventID)).size);
    expect(result.bytesScanned).toBe(3 * 734_003_200);
    expect(result.identities[0]).toMatchObject({ calls: 75, errors: 2, activeMinutes: 2, first: '2026-03-02T10:00', last: '2026-03-02T10:01' });
    expect(result.blastRadius).toEqual([{ principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/agent-run-42`, eventSource: 'rds.amazonaws.com', resource: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-prod`, writes: 1 }]);

    // Each result is evidence whose SHA-256 is that of the rows Athena returned, read back from the locker.
    const evidence = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: id });
    for (const x of result.executions.filter((e) => e.name !== 'create-table')) {
      const item = evidence.find((e) => e.id === x.evidenceId) as EvidenceItem;
      expect(item.description).toContain(x.executionId);
      const bytes = readFileSync(objectPath(dir.path, item.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(x.sha256);
      expect(bytes.toString('utf8').trimEnd().split('\n')).toHaveLength(x.rows + 1);
    }
    const sql = evidence.find((e) => e.name.startsWith('athena_queries_')) as EvidenceItem;
    expect(readFileSync(objectPath(dir.path, sql.sha256), 'utf8')).toContain(result.plan.queries[2]?.sql);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    const recorded = ledger.filter((e) => e.action === 'athena.results-recorded').map((e) => e.payload as { executionId: string; bytesScanned: number; sha256: string });
    expect(recorded.map((p) => p.executionId)).toEqual(result.executions.slice(1).map((x) => x.executionId));
    expect(recorded.every((p) => p.bytesScanned === 734_003_200)).toBe(true);

    // The same events imported from a file give the same findings: Athena is only where the scan ran.
    const other = await newIncident();
    const file = join(dir.path, 'matching.json');
    writeFileSync(file, JSON.stringify({ Records: matching }));
    await call(core, 'cloudtrail.import', { incidentId: other, paths: [file] });
    const shape = (fs: CloudTrailFinding[]) => fs.map((f) => `${f.kind} ${f.severity} ${f.title}`).sort();
    const viaAthena = await call<CloudTrailFinding[]>(core, 'cloudtrail.findings', { incidentId: id });
    expect(viaAthena.length).toBeGreaterThan(0);
    expect(shape(viaAthena)).toEqual(shape(await call<CloudTrailFinding[]>(core, 'cloudtrail.findings', { incidentId: other })));
  });

  it('reports a failed query with Athena\'s reason and keeps what ran before it', async () => {
    const id = await newIncident();
    answers.identity = { end: 'FAILED', states: ['QUEUED', 'RUNNING', 'RUNNING'], reason: "TABLE_NOT_FOUND: line 6:6: Table 'awsdatacatalog.ir_forensics.cloudtrail_org' does not exist" };
    const r = await run(id);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain("Table 'awsdatacatalog.ir_forensics.cloudtrail_org' does not exist");
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    expect(ledger.filter((e) => e.action === 'athena.results-recorded')).toHaveLength(1);
    const finished = ledger.filter((e) => e.action === 'cloudtrail.collection-finished').map((e) => (e.payload as { status: string }).status);
    expect(finished).toEqual(['failed']);
  });

  it('stops the running query in Athena when the responder cancels', async () => {
    const id = await newIncident();
    answers['high-risk'] = { end: 'SUCCEEDED', states: Array.from({ length: 10_000 }, () => 'RUNNING') };
    const ac = new AbortController();
    const r = await run(id, { createTable: false }, ac.signal, (p) => {
      if (String(p).includes('RUNNING')) ac.abort();
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    const stopped = server.requests.filter((q) => q.target === 'AmazonAthena.StopQueryExecution');
    expect(stopped).toHaveLength(1);
    expect(server.executions.get(String(stopped[0]?.body.QueryExecutionId))?.state).toBe('CANCELLED');
  });

  it('says so when a query was cancelled in Athena by someone else', async () => {
    const id = await newIncident();
    answers['high-risk'] = { end: 'CANCELLED', reason: 'Query was cancelled by user' };
    const r = await run(id, { createTable: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/cancelled outside Firebreak/);
  });

  it('pages a 100,000-row result in bounded memory', async () => {
    const id = await newIncident();
    const principal = (i: number) => `arn:aws:sts::${ACCOUNT}:assumed-role/${'batch-worker-role-with-a-long-path-name-'.repeat(8)}/session-${i % 5000}`;
    answers.identity = { end: 'SUCCEEDED', bytesScanned: 5e12, columns: ['principal_arn', 'minute', 'calls', 'errors', 'writes'], rowCount: 100_000, row: (i) => [principal(i), `2026-03-02T${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, '1', '0', '0'] };
    // What stays alive, not what awaits collection: a full collection before each sample (gc exposed for this test).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const base = live();
    let peak = base;
    const sample = setInterval(() => (peak = Math.max(peak, live())), 100);
    const r = await run(id, { createTable: false });
    clearInterval(sample);
    if (!r.ok) throw new Error(r.error.message);
    const result = r.value as AthenaRunResult;
    const activity = result.executions.find((x) => x.name === 'identity-activity');
    expect(activity?.rows).toBe(100_000);
    expect(server.requests.filter((q) => q.target === 'AmazonAthena.GetQueryResults' && q.body.QueryExecutionId === activity?.executionId)).toHaveLength(101);
    expect(result.identities).toHaveLength(50);
    // The rows are about 45 MB of text; holding them would keep at least that alive.
    expect(peak - base).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('firebreak cloudtrail athena', () => {
  it('--dry-run prints the DDL and every query; without --yes nothing runs; with --yes it runs and says what it scanned', async () => {
    const { inProcessCli } = await import('../../helpers/cli-in-process');
    const cli = inProcessCli(dir.path);
    const created = await cli(['incident', 'new', '--playbook', 'agent-destructive-action', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`, '--param', `aws_account_id=${ACCOUNT}`]);
    expect(created.code).toBe(0);
    const id = created.out.trim();
    const args = ['cloudtrail', 'athena', id, '--database', 'ir_forensics', '--table', 'cloudtrail_org', '--create-table', '--bucket', 's3://org-trail-logs/trails', '--org-id', 'o-a1b2c3d4e5', '--region', 'us-east-1', '--start', start];

    const dry = await cli([...args, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("'storage.location.template'='s3://org-trail-logs/trails/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}'");
    for (const name of ['create-table', 'high-risk-events', 'identity-activity', 'blast-radius']) expect(dry.out).toContain(`-- ${name}:`);
    expect(dry.out).toMatch(/Estimate: about [\d.]+ [KMGT]?B scanned, about \$\d+\.\d\d/);

    const unconfirmed = await cli([...args, '--endpoint', server.url]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.out).toContain('Estimate:');
    expect(unconfirmed.err).toContain('run again with --yes');
    expect(server.requests).toHaveLength(0);

    const bad = await cli([...args.slice(0, 3), '--database', 'IR-Forensics', '--table', 't', '--region', 'us-east-1', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--database is lower-case letters');

    const ran = await cli([...args, '--endpoint', server.url, '--athena-region', 'us-east-1', '--yes', '--json']);
    expect(ran.code, ran.err).toBe(0);
    const result = JSON.parse(ran.out) as AthenaRunResult;
    expect(result.executions.map((x) => x.name)).toEqual(['create-table', 'high-risk-events', 'identity-activity', 'blast-radius']);
    expect(ran.err).toContain('high-risk-events: SUCCEEDED');
  });
});
