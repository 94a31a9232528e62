import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureFilter } from '../../../electron/core/cloudtrail/collect/azure-source';
import { type CloudPullInput, pullCloudLogs } from '../../../electron/core/cloudtrail/collect/cloud-pull';
import type { Core } from '../../../electron/core/core';
import { objectPath } from '../../../electron/core/evidence/store';
import type { LogsImportResult } from '../../../electron/shared/cloudlogs';
import type { FindingsSummary } from '../../../electron/shared/cloudtrail';
import type { Incident, LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { type AzureTestServer, startAzureActivityServer } from '../../helpers/azure-activity-server';
import { call, repoRoot, testCore } from '../../helpers/core';
import { findingTitles, storedCalls } from '../../helpers/stored-calls';
import { tempDir } from '../../helpers/temp';

// A real ActivityLogs.list response (REST `value[]`) recorded by the Azure SDK for Java: 113 records over two days.
const RECORDED = resolve(repoRoot, '..', 'shared', 'reference', 'azure-activity', 'azure-libraries-for-java', 'canListEventsAndMetrics.activitylog-response.json');
const records = (JSON.parse(readFileSync(RECORDED, 'utf8')) as { value: Array<Record<string, unknown>> }).value;
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const TOKEN = 'static-test-token';
const FAST = { requestsPerSecond: 500, backoffMs: 10, maxRetries: 6 };
const WINDOW = { start: '2020-09-01T00:00:00Z', end: '2020-09-03T00:00:00Z' };
const credential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

let certDir: ReturnType<typeof tempDir>;
let server: AzureTestServer;
let dir: ReturnType<typeof tempDir>;
let core: Core;

beforeAll(() => {
  certDir = tempDir('firebreak-azure-cert-');
});
afterAll(() => certDir.cleanup());
beforeEach(async () => {
  server = await startAzureActivityServer({ records, token: TOKEN, pageSize: 40, dir: certDir.path });
  dir = tempDir('firebreak-azure-pull-');
  core = testCore(dir.path);
});
afterEach(async () => {
  core.close();
  dir.cleanup();
  await server.close();
});

const newIncident = async () => (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params: {} })).id;
const pull = (incidentId: string, input: Partial<CloudPullInput> = WINDOW, extra: { signal?: AbortSignal; onProgress?: (l: string) => void; token?: string } = {}) =>
  pullCloudLogs(
    core.context,
    { incidentId, cloud: 'azure', scope: SUBSCRIPTION, endpoint: server.url, ...input },
    {
      pacing: FAST,
      ca: server.ca,
      azureCredential: extra.token ? { getToken: async () => ({ token: extra.token as string, expiresOnTimestamp: Date.now() + 3_600_000 }) } : credential,
      ...(extra.signal ? { signal: extra.signal } : {}),
      ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
    },
  );
const ok = () => server.requests.filter((q) => q.status === 200);

describe('logs pull --cloud azure (the real @azure/arm-monitor over HTTPS)', () => {
  it('reads every page, waits out a 429 with its Retry-After, keeps each page as received, and stores what a file import stores', async () => {
    const id = await newIncident();
    server.throttleNext(1, 1);
    const progress: string[] = [];
    const r = await pull(id, WINDOW, { onProgress: (l) => progress.push(l) });
    expect(r.collection.status).toBe('done');
    expect(r.collection.source).toEqual({ cloud: 'azure', scope: SUBSCRIPTION });
    expect([r.pages, r.records, r.collection.pages]).toEqual([3, records.length, 3]);
    expect(r.filter).toBe(azureFilter('2020-09-01T00:00:00.000Z', '2020-09-03T00:00:00.000Z'));
    // One throttled answer, waited out for the second Retry-After asked, then the three pages through nextLink.
    expect(server.requests.map((q) => [q.status, q.skiptoken])).toEqual([
      [429, null],
      [200, null],
      [200, '40'],
      [200, '80'],
    ]);
    expect(server.requests.every((q) => q.filter === r.filter)).toBe(true);
    expect(progress.filter((l) => /ActivityLogs\.list: throttled \(HTTP 429 TooManyRequests\); retry 1 of 6; waiting 1000 ms/.test(l))).toHaveLength(1);

    const items = (await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: id })).filter((i) => i.name.startsWith('azure-activity-log_'));
    expect(items.map((i) => i.name).sort()).toEqual([1, 2, 3].map((n) => `azure-activity-log_${SUBSCRIPTION}_page-${n}.json`));
    const sent = ok().map((q) => q.response);
    for (const item of items) {
      const bytes = readFileSync(objectPath(dir.path, item.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
      expect(sent).toContain(bytes.toString('utf8'));
    }
    expect(r.collection.evidenceIds.sort()).toEqual(items.map((i) => i.id).sort());

    // The same records imported as a file: the same calls, records, rules and findings.
    const fromFile = await newIncident();
    const imported = await call<LogsImportResult>(core, 'logs.import', { incidentId: fromFile, paths: [RECORDED] });
    expect(imported.files.map((f) => [f.cloud, f.status])).toEqual([['azure', 'ok']]);
    expect(r.byCloud).toEqual(imported.byCloud);
    expect(r.byCloud.azure).toBeGreaterThan(50);
    const pulled = await storedCalls(core, id);
    expect(pulled).toHaveLength(r.byCloud.azure);
    expect(pulled).toEqual(await storedCalls(core, fromFile));
    expect(await findingTitles(core, id)).toEqual(await findingTitles(core, fromFile));

    expect(await call(core, 'audit.verify', { scope: id })).toMatchObject({ ok: true });
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    const pages = ledger.filter((e) => e.action === 'logs.page-collected');
    expect(pages.map((e) => (e.payload as { page: number }).page)).toEqual([1, 2, 3]);
    expect(pages.every((e) => e.initiator === 'automated' && e.actor.includes('Azure activity log pull'))).toBe(true);
    expect(JSON.stringify(ledger)).not.toContain(TOKEN);

    // The same window again: a new pull whose calls are all known.
    const again = await pull(id);
    expect(again.resumed).toBe(false);
    expect(again.collection.id).not.toBe(r.collection.id);
    expect(again.collection.newRecords).toBe(0);
    expect(again.newFindings).toBe(0);
  });

  it('resumes an interrupted pull from the page after the last one kept, with the result of an uninterrupted pull', async () => {
    const id = await newIncident();
    const ac = new AbortController();
    await expect(pull(id, WINDOW, { signal: ac.signal, onProgress: (l) => (/page 1:/.test(l) ? ac.abort() : undefined) })).rejects.toThrow(/interrupted .*run the same command again to resume CTC-/);
    const mid = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id });
    expect(mid.collections[0]).toMatchObject({ status: 'interrupted', pages: 1 });
    const before = server.requests.length;

    // The same command without the window: the unfinished pull of this cloud carries on from its saved nextLink.
    const r = await pull(id, {});
    expect(r.resumed).toBe(true);
    expect(r.collection.id).toBe(mid.collections[0]?.id);
    expect([r.collection.status, r.pages, r.records]).toEqual(['done', 3, records.length]);
    expect(server.requests.slice(before).map((q) => q.skiptoken)).toEqual(['40', '80']);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    expect(ledger.filter((e) => e.action === 'logs.pull-resumed')).toHaveLength(1);

    const fresh = await newIncident();
    await pull(fresh);
    expect(await storedCalls(core, id)).toEqual(await storedCalls(core, fresh));
  });

  it('reads the window again when the saved nextLink has expired, without storing a call twice', async () => {
    const id = await newIncident();
    const ac = new AbortController();
    await expect(pull(id, WINDOW, { signal: ac.signal, onProgress: (l) => (/page 2:/.test(l) ? ac.abort() : undefined) })).rejects.toThrow(/interrupted/);
    server.expireNextSkiptoken();
    const progress: string[] = [];
    const r = await pull(id, WINDOW, { onProgress: (l) => progress.push(l) });
    expect(r.resumed).toBe(true);
    expect(r.collection.status).toBe('done');
    expect(progress.some((l) => /saved page position was refused .*InvalidSkipToken.*reading the window again/.test(l))).toBe(true);
    const fresh = await newIncident();
    const full = await pull(fresh);
    expect(r.byCloud).toEqual(full.byCloud);
    expect(r.collection.duplicates).toBeGreaterThan(0);
  });

  it('sends a resource group and a caller in the $filter Azure accepts', async () => {
    const id = await newIncident();
    const r = await pull(id, { ...WINDOW, resourceGroup: 'TANYI', caller: "o'brien@example.com" });
    expect(r.filter).toBe(`${azureFilter('2020-09-01T00:00:00.000Z', '2020-09-03T00:00:00.000Z')} and resourceGroupName eq 'TANYI' and caller eq 'o''brien@example.com'`);
    // The recorded response was taken with $select, without callers: no record matches a caller.
    expect([r.collection.status, r.pages, r.records]).toEqual(['done', 1, 0]);
  });

  it('stops with a clear message when Azure refuses the token, and refuses a plain-http endpoint', async () => {
    const id = await newIncident();
    await expect(pull(id, WINDOW, { token: 'not-the-token' })).rejects.toThrow(/Azure refused the credentials for ActivityLogs\.list subscription 0{8}-.*InvalidAuthenticationToken/);
    expect((await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id })).collections[0]).toMatchObject({ status: 'interrupted' });
    const other = await newIncident();
    await expect(pull(other, { ...WINDOW, endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(/sends its token only over https/);
  });
});
