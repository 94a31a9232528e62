import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_PACING, RegionClient } from '../../../electron/core/cloudtrail/collect/collector';
import { parsePublicKeys } from '../../../electron/core/cloudtrail/collect/digests';
import { monitoringCheck } from '../../../electron/core/cloudtrail/collect/monitoring';
import { pullCloudTrail } from '../../../electron/core/cloudtrail/collect/pull';
import type { Core } from '../../../electron/core/core';
import { objectPath } from '../../../electron/core/evidence/store';
import type { CloudTrailFinding, FindingsSummary } from '../../../electron/shared/cloudtrail';
import type { Incident, LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { AGENT_KEY, AGENT_ROLE_ARN, AGENT_SESSION, SECOND_KEY, SECOND_SESSION, agentStory } from '../../helpers/cloudtrail-corpus';
import { makeKey } from '../../helpers/cloudtrail-digest-signer';
import { type CloudTrailTestServer, startCloudTrailServer } from '../../helpers/cloudtrail-server';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const ACCESS_KEY = 'AKIAFBTESTEXAMPLE001';
const now = new Date();
const story = agentStory(now);
const agentEvents = story.filter((e) => String((e.userIdentity as { arn?: string }).arn).includes('/ai-agent-prod/'));
const key = makeKey();
const FAST = { requestsPerSecond: 500, backoffMs: 10, maxRetries: 6 };
const REGIONS = ['us-east-1', 'us-west-2'];
const start = new Date(now.getTime() - 7 * 86_400_000).toISOString();

let server: CloudTrailTestServer;
let dir: ReturnType<typeof tempDir>;
let core: Core;
const savedEnv = { ...process.env };

beforeAll(() => {
  // The SDK's default provider chain reads these; no profile files, no instance metadata.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
});
afterAll(() => {
  process.env = savedEnv;
});
beforeEach(async () => {
  server = await startCloudTrailServer({
    events: story,
    accessKeys: [ACCESS_KEY],
    pageSize: 20,
    rateLimit: 0,
    publicKeys: [{ Value: key.publicBase64, Fingerprint: key.fingerprint, ValidityStartTime: '2026-01-01T00:00:00Z', ValidityEndTime: '2099-01-01T00:00:00Z' }],
  });
  dir = tempDir('firebreak-ct-pull-');
  core = testCore(dir.path);
});
afterEach(async () => {
  core.close();
  dir.cleanup();
  await server.close();
});

const newIncident = async (params: Record<string, string> = { agent_role_arn: AGENT_ROLE_ARN }) =>
  (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params })).id;
const pull = (incidentId: string, extra: { signal?: AbortSignal; onProgress?: (l: string) => void } = {}, regions = REGIONS) =>
  pullCloudTrail(core.context, { incidentId, regions, start, endpoint: server.url }, { pacing: FAST, ...extra });
const eastEvents = agentEvents.filter((e) => e.awsRegion === 'us-east-1');

describe('cloudtrail pull (real SDK over HTTP)', () => {
  it('collects the agent identities\' calls page by page, keeps each raw page as evidence, and records findings', async () => {
    const id = await newIncident();
    const r = await pull(id);
    expect(r.collection.status).toBe('done');
    // Found through EventName lookups, then through the sessions and access keys they revealed.
    expect(r.collection.newRecords).toBe(agentEvents.length);
    const discovered = r.lookups.filter((l) => l.events > 0).map((l) => `${l.attribute}=${l.value}`);
    for (const v of [`Username=${AGENT_SESSION}`, `AccessKeyId=${AGENT_KEY}`, `Username=${SECOND_SESSION}`, `AccessKeyId=${SECOND_KEY}`, 'EventName=DeleteDBInstance']) {
      expect(discovered).toContain(v);
    }
    expect(r.lookups.some((l) => l.pages >= 3)).toBe(true);
    const lookups = server.requests.filter((q) => q.target.endsWith('LookupEvents'));
    expect(lookups.every((q) => (q.body.LookupAttributes as unknown[]).length === 1 && q.status === 200)).toBe(true);
    expect(lookups.some((q) => q.body.NextToken)).toBe(true);

    const items = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: id });
    const pages = items.filter((i) => i.name.startsWith('lookup-events_'));
    expect(pages.length).toBeGreaterThan(0);
    expect(items.every((i) => i.sourceKind === 'cloudtrail-api')).toBe(true);
    const sent = new Set(server.requests.map((q) => q.response));
    for (const p of pages.slice(0, 5)) {
      const bytes = readFileSync(objectPath(dir.path, p.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
      // Kept exactly as it came over the wire.
      expect(sent.has(bytes.toString('utf8'))).toBe(true);
    }
    // Both regions returned the same keys: the locker keeps identical content once.
    expect(r.publicKeysEvidenceIds).toHaveLength(1);
    const keysItem = items.find((i) => i.id === r.publicKeysEvidenceIds[0]) as EvidenceItem;
    expect(parsePublicKeys(readFileSync(objectPath(dir.path, keysItem.sha256), 'utf8'), 'keys').has(key.fingerprint)).toBe(true);

    const kinds = r.findings.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'high-risk')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'high-risk-attempt')).toHaveLength(1);
    expect(kinds).toContain('machine-cadence');
    expect(r.findings.every((f) => f.phase === 'detection-analysis')).toBe(true);
    const verify = await call<{ ok: boolean }>(core, 'audit.verify', { scope: id });
    expect(verify.ok).toBe(true);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    const automated = ledger.filter((e) => e.action.startsWith('cloudtrail.'));
    expect(automated.every((e) => e.initiator === 'automated' && e.actor.includes('CloudTrail pull'))).toBe(true);
    expect(automated.map((e) => e.action)).toEqual(expect.arrayContaining(['cloudtrail.page-collected', 'cloudtrail.public-keys-collected', 'cloudtrail.analysed', 'cloudtrail.collection-finished']));

    // A second pull over the same window finds nothing new: every event is deduplicated by eventID.
    const again = await pullCloudTrail(core.context, { incidentId: id, regions: REGIONS, start, endpoint: server.url }, { pacing: FAST });
    expect(again.collection.newRecords).toBe(0);
    expect(again.collection.duplicates).toBeGreaterThan(0);
    expect(again.newFindings).toBe(0);
  });

  it('backs off on throttling and server errors and still gets everything', async () => {
    const id = await newIncident();
    server.failNext(3, { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    server.failNext(2, { status: 500, type: 'InternalFailure', message: 'try again' });
    const waits: string[] = [];
    const r = await pull(id, { onProgress: (l) => waits.push(l) }, ['us-east-1']);
    expect(r.collection.status).toBe('done');
    expect(r.collection.newRecords).toBe(eastEvents.length);
    expect(server.requests.filter((q) => q.errorType === 'ThrottlingException')).toHaveLength(3);
    expect(waits.filter((w) => /throttled; retry/.test(w))).toHaveLength(3);
    expect(waits.filter((w) => /InternalFailure/.test(w))).toHaveLength(2);
  });

  it('uses a named profile from the shared files, never the environment, when --profile is given', async () => {
    const id = await newIncident();
    const creds = join(dir.path, 'credentials');
    writeFileSync(creds, `[incident-ro]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = test-secret\n`);
    writeFileSync(join(dir.path, 'config'), '[profile incident-ro]\nregion = us-east-1\n');
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_CONFIG_FILE: join(dir.path, 'config'), AWS_ACCESS_KEY_ID: 'AKIAENVKEYEXAMPLE001' });
    try {
      const r = await pullCloudTrail(core.context, { incidentId: id, regions: ['us-east-1'], start, endpoint: server.url, profile: 'incident-ro' }, { pacing: FAST });
      expect(r.collection.status).toBe('done');
      expect(new Set(server.requests.map((q) => q.accessKeyId))).toEqual(new Set([ACCESS_KEY]));
      // The profile's name is recorded; no secret is.
      const ledger = JSON.stringify(await call<LedgerEntry[]>(core, 'audit.entries', { scope: id }));
      expect(ledger).toContain('incident-ro');
      expect(ledger).not.toContain('test-secret');
      expect(ledger).not.toContain(ACCESS_KEY);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
    }
  });

  it('keeps to 2 requests per second per region by default', async () => {
    const limited = await startCloudTrailServer({ events: story, accessKeys: [ACCESS_KEY], pageSize: 5, rateLimit: 2 });
    try {
      const client = await RegionClient.create({ region: 'us-east-1', endpoint: limited.url, pacing: AWS_PACING });
      let token: string | null = null;
      for (let i = 0; i < 5; i++) token = (await client.lookup('Username', AGENT_SESSION, new Date(start), now, token)).nextToken;
      client.destroy();
      const times = limited.requests.map((q) => q.at);
      expect(limited.requests.every((q) => q.status === 200)).toBe(true);
      for (let i = 2; i < times.length; i++) expect((times[i] as number) - (times[i - 2] as number)).toBeGreaterThanOrEqual(950);
    } finally {
      await limited.close();
    }
  });

  it('stops on bad credentials with a clear message, and records a failing lookup without stopping the rest', async () => {
    const id = await newIncident();
    process.env.AWS_ACCESS_KEY_ID = 'AKIAWRONGKEYEXAMPLE1';
    try {
      await expect(pull(id)).rejects.toThrow(/AWS refused the credentials: .*UnrecognizedClientException/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
    }
    const summary = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id });
    expect(summary.collections[0]).toMatchObject({ status: 'interrupted' });

    const other = await newIncident();
    server.failNext(1, { status: 400, type: 'InvalidTimeRangeException', message: 'bad range' });
    const r = await pullCloudTrail(core.context, { incidentId: other, regions: ['us-east-1'], start, endpoint: server.url }, { pacing: FAST });
    expect(r.collection.status).toBe('failed');
    expect(r.collection.errors[0]).toMatch(/InvalidTimeRangeException/);
    expect(r.collection.newRecords).toBeGreaterThan(0);
  });

  it('resumes an interrupted pull where it stopped, with the same result as an uninterrupted one', async () => {
    const id = await newIncident();
    const ac = new AbortController();
    let pages = 0;
    await expect(
      pull(
        id,
        {
          signal: ac.signal,
          onProgress: (l) => {
            if (/page \d+:/.test(l) && ++pages === 12) ac.abort();
          },
        },
        ['us-east-1'],
      ),
    ).rejects.toThrow(/interrupted.*run the same command again to resume/);
    const mid = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id });
    expect(mid.collections[0]?.status).toBe('interrupted');
    const kept = mid.collections[0]?.pages ?? 0;
    expect(kept).toBeGreaterThanOrEqual(12);

    const r = await pullCloudTrail(core.context, { incidentId: id, endpoint: server.url }, { pacing: FAST });
    expect(r.resumed).toBe(true);
    expect(r.collection.id).toBe(mid.collections[0]?.id);
    expect(r.collection.status).toBe('done');
    expect((await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id })).events).toBe(eastEvents.length);

    const fresh = await newIncident();
    const full = await pull(fresh, {}, ['us-east-1']);
    expect(r.collection.pages).toBe(full.collection.pages);
    expect(r.collection.newRecords).toBe(full.collection.newRecords);
  });

  it('records the monitoring check: an alert that reopens Containment, or all clear', async () => {
    const id = await newIncident();
    // Recovery is closed: the 30-day window is running and Containment is closed.
    for (const phaseId of ['containment', 'detection-analysis', 'eradication', 'recovery']) {
      await call(core, 'workflow.closePhase', { id, phaseId, override: `test: close ${phaseId} to start monitoring` });
    }
    const alert = await monitoringCheck(core.context, { incidentId: id, regions: REGIONS, start, endpoint: server.url }, { pacing: FAST });
    expect(alert).toMatchObject({ outcome: 'alert', reopenPhase: 'containment' });
    expect(alert.events.map((e) => e.eventName)).toEqual(expect.arrayContaining(['DeleteDBInstance', 'TerminateInstances', 'DeleteTable']));
    const clear = await monitoringCheck(core.context, { incidentId: id, regions: REGIONS, endpoint: server.url }, { pacing: FAST });
    expect(clear).toMatchObject({ outcome: 'clear', reopenPhase: null, windowStart: alert.windowEnd });
    expect(clear.message).toMatch(/No destructive calls by agent identities/);
    const entries = (await call<LedgerEntry[]>(core, 'audit.entries', { scope: id })).filter((e) => e.action === 'cloudtrail.monitoring-check');
    expect(entries.map((e) => [e.subject, (e.payload as { reopenPhase: string | null }).reopenPhase, e.initiator])).toEqual([
      ['alert', 'containment', 'automated'],
      ['clear', null, 'automated'],
    ]);
    const findings = await call<CloudTrailFinding[]>(core, 'cloudtrail.findings', { incidentId: id });
    expect(findings.length).toBeGreaterThan(0);
    // The guided run saw both checks, and the alert reopened Containment.
    const run = await call<IncidentRun>(core, 'workflow.get', { id });
    expect(run.monitoring?.checks.map((c) => [c.result, c.initiator])).toEqual([
      ['alert', 'automated'],
      ['clear', 'automated'],
    ]);
    expect(run.phases.find((p) => p.id === 'containment')?.status).toBe('open');
    expect(run.incident.phase).toBe('containment');
    expect(await call(core, 'audit.verify', { scope: id })).toMatchObject({ ok: true });
  });
});
