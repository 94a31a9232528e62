import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { LogsImportResult } from '../../../electron/shared/cloudlogs';
import type { FindingsSummary, TimelineEventDetail, TimelinePage } from '../../../electron/shared/cloudtrail';
import type { Incident } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { AZURE_AGENT_APPID, GCP_AGENT, azureBlobPath, azureRecords, gcpEntries, gcpSinkPath, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { call, repoRoot, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const REF = resolve(repoRoot, '..', 'shared', 'reference');
const STRATUS = join(REF, 'cloudtrail', 'samples', 'stratus-red-team');
const dir = tempDir('firebreak-clouds2-logs-import-');
const T0 = Date.parse('2026-03-10T09:00:00Z');
let core: Core;
let incidentId: string;
const azureDir = join(dir.path, 'azure');
const gcpDir = join(dir.path, 'gcp');
let azureStart = '';
let azureOutcome = '';
let gcpFile = '';

beforeAll(async () => {
  core = testCore(join(dir.path, 'data'));
  incidentId = (
    await call<Incident>(core, 'incidents.create', {
      playbookId: 'agent-destructive-action',
      params: { azure_agent_principal: AZURE_AGENT_APPID, gcp_agent_service_account: GCP_AGENT },
    })
  ).id;
  // One Azure operation whose Start lies in one hourly blob and its outcome in the next (Azure writes at the hour's turn).
  const [start, end] = azureRecords({ ms: T0 + 3_599_900, operation: 'Microsoft.Sql/servers/databases/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-delete-db' });
  azureStart = writeJsonLines(azureBlobPath(azureDir, T0), [
    ...azureRecords({ ms: T0 + 1000, operation: 'Microsoft.Storage/storageAccounts/write', caller: { upn: 'ops@example.com' }, correlationId: 'corr-human' }),
    start as Record<string, unknown>,
  ]);
  azureOutcome = writeJsonLines(azureBlobPath(azureDir, T0 + 3_600_000), [end as Record<string, unknown>]);
  // A GCP long-running delete (first and last entry) and the same entry written twice by overlapping sinks.
  const first = gcpEntries({ ms: T0 + 5000, method: 'cloudsql.instances.delete', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: 'lro-1', longRunning: true });
  const sink = gcpEntries({ ms: T0 + 7000, method: 'google.logging.v2.ConfigServiceV2.DeleteSink', service: 'logging.googleapis.com', principal: GCP_AGENT, insertId: 'sink-1' });
  gcpFile = writeJsonLines(gcpSinkPath(gcpDir, T0), [...first, ...sink, ...sink]);
});
afterAll(() => {
  core.close();
  dir.cleanup();
});

const events = (filter: Record<string, unknown> = {}) => call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter, offset: 0, limit: 500 });
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('logs import: Azure, GCP and CloudTrail files into one incident', () => {
  it('detects the cloud per file, keeps each file as hashed evidence, and stores operations, not records', async () => {
    const ct = join(STRATUS, 'aws.defense-evasion.cloudtrail-stop.json');
    const r = await call<LogsImportResult>(core, 'logs.import', { incidentId, paths: [azureDir, gcpDir, ct] });
    expect(r.files.map((f) => [f.path, f.cloud, f.status])).toEqual(
      [
        [azureStart, 'azure', 'ok'],
        [azureOutcome, 'azure', 'ok'],
        [gcpFile, 'gcp', 'ok'],
        [ct, 'aws', 'ok'],
      ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
    for (const f of r.files) expect(f.sha256).toBe(sha256(f.path));
    const items = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId });
    expect(items.map((i) => i.sha256).sort()).toEqual(r.files.map((f) => f.sha256).sort());
    // Azure: two operations (the human's write, the agent's delete across two files); GCP: the delete and the sink.
    expect(r.byCloud).toEqual({ aws: 1, azure: 2, gcp: 2 });
    // 9 records: 5 calls, 3 records folded into their operation (two Azure outcomes, the GCP last entry), 1 repeat.
    expect(r.collection).toMatchObject({ records: 9, newRecords: 5, duplicates: 1 });
    expect((await call<{ ok: boolean }>(core, 'audit.verify', { scope: incidentId })).ok).toBe(true);
  });

  it('gives the Azure and GCP high-risk calls of the agent identities findings beside CloudTrail ones', async () => {
    const summary = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId });
    const titles = summary.findings.filter((f) => f.kind === 'high-risk').map((f) => f.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        `SQL server or database deleted (MICROSOFT.SQL:MICROSOFT.SQL/SERVERS/DATABASES/DELETE by agent ${AZURE_AGENT_APPID})`,
        `Cloud SQL instance, database or backup deleted (cloudsql.googleapis.com:cloudsql.instances.delete by agent ${GCP_AGENT})`,
        expect.stringMatching(/^Log sink .*google\.logging\.v2\.ConfigServiceV2\.DeleteSink by agent ai-agent@/),
        expect.stringContaining('cloudtrail:StopLogging'),
      ]),
    );
    const agents = (await events({ agentOnly: true })).events;
    expect(new Set(agents.map((e) => e.cloud))).toEqual(new Set(['azure', 'gcp']));
    expect(agents.map((e) => e.agentIdentity).sort()).toEqual([AZURE_AGENT_APPID, GCP_AGENT, GCP_AGENT]);
  });

  it('filters the timeline by cloud and opens an Azure call with its record, rules and evidence', async () => {
    const azure = (await events({ cloud: 'azure' })).events;
    expect(azure.map((e) => e.eventName)).toEqual(['MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE', 'MICROSOFT.SQL/SERVERS/DATABASES/DELETE']);
    expect(azure.every((e) => e.cloud === 'azure' && !e.simultaneous)).toBe(true);
    const del = azure[1] as TimelinePage['events'][number];
    expect(del).toMatchObject({ highRisk: true, errorCode: null, agentIdentity: AZURE_AGENT_APPID });
    const detail = await call<TimelineEventDetail>(core, 'cloudtrail.event', { incidentId, eventId: del.eventID });
    expect(detail.rules.map((x) => x.id)).toEqual(['az-sql-delete']);
    expect(detail.record).toMatchObject({ correlationId: 'corr-delete-db', resultType: 'Start' });
    expect(detail.evidenceIds).toHaveLength(1);
  });

  it('imports the same files again without new calls, and an outcome arriving later settles a stored Start', async () => {
    const again = await call<LogsImportResult>(core, 'logs.import', { incidentId, paths: [azureDir, gcpDir] });
    expect(again.collection.newRecords).toBe(0);
    expect(again.newFindings).toBe(0);
    expect(again.byCloud).toEqual({ aws: 1, azure: 2, gcp: 2 });

    const [start, failure] = azureRecords({ ms: T0 + 20_000, operation: 'Microsoft.KeyVault/vaults/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-kv', result: 'Failure' });
    await call(core, 'logs.import', { incidentId, paths: [writeJsonLines(join(dir.path, 'later', 'start.json'), [start as Record<string, unknown>])] });
    const pending = (await events({ cloud: 'azure', text: 'keyvault' })).events;
    expect(pending).toEqual([expect.objectContaining({ errorCode: null })]);
    await call(core, 'logs.import', { incidentId, paths: [writeJsonLines(join(dir.path, 'later', 'outcome.json'), [failure as Record<string, unknown>])] });
    expect((await events({ cloud: 'azure', text: 'keyvault' })).events).toEqual([expect.objectContaining({ eventID: pending[0]?.eventID, errorCode: 'Failed.Forbidden' })]);
  });

  it('refuses a folder holding no audit-log file, and names a file it could not read in full', async () => {
    const notes = join(dir.path, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'README.txt'), 'not a log');
    const r = await core.call('logs.import', { incidentId, paths: [notes] });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/No audit-log files .* to import/) } });
    const bad = writeJsonLines(join(dir.path, 'bad', 'mixed.json'), [{ neither: 'cloud' }, ...gcpEntries({ ms: T0 + 9000, method: 'v1.compute.instances.delete', service: 'compute.googleapis.com', principal: GCP_AGENT, insertId: 'vm-1' })]);
    const imported = await call<LogsImportResult>(core, 'logs.import', { incidentId, paths: [bad] });
    expect(imported.files).toEqual([expect.objectContaining({ path: bad, cloud: 'gcp', status: 'partial', reason: expect.stringContaining('record 1 is neither'), newRecords: 1 })]);
  });

  it('is cancelled through the operations registry, keeping what it recorded', async () => {
    const running = core.call('logs.import', { incidentId, paths: [STRATUS], operationId: 'clouds2-logs-import' });
    expect(await call(core, 'operations.cancel', { operationId: 'clouds2-logs-import' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect((await call<{ ok: boolean }>(core, 'audit.verify', { scope: incidentId })).ok).toBe(true);
  });
});
