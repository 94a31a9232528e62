import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudPullInput, pullCloudLogs } from '../../../electron/core/cloudtrail/collect/cloud-pull';
import { gcpFilter } from '../../../electron/core/cloudtrail/collect/gcp-source';
import { unreadLogs } from '../../../electron/core/case/unread-logs';
import type { Core } from '../../../electron/core/core';
import { objectPath } from '../../../electron/core/evidence/store';
import type { LogsImportResult } from '../../../electron/shared/cloudlogs';
import type { FindingsSummary, TimelinePage } from '../../../electron/shared/cloudtrail';
import type { Incident, LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { call, repoRoot, testCore } from '../../helpers/core';
import { type GcpTestServer, startGcpLoggingServer } from '../../helpers/gcp-logging-server';
import { findingTitles, storedCalls } from '../../helpers/stored-calls';
import { tempDir } from '../../helpers/temp';

// Real recorded LogEntry records: plaso's JSON lines (9 audit entries and 2 of an application log) and the
// OpenTelemetry collector's activity, data access, policy and system event entries.
const REF = resolve(repoRoot, '..', 'shared', 'reference', 'gcp-audit');
const PLASO = join(REF, 'plaso', 'gcp_logging.jsonl');
const OTEL = join(REF, 'opentelemetry-collector-contrib', 'extension', 'encoding', 'googlecloudlogentryencodingextension', 'testdata', 'auditlog');
const otelFiles = readdirSync(OTEL).map((f) => join(OTEL, f));
const entries = [
  ...readFileSync(PLASO, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>),
  ...otelFiles.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>),
];
const audit = entries.filter((e) => String(e.logName).includes('cloudaudit.googleapis.com'));
const AGENT = 'dvwa-service-account@ketchup.iam.gserviceaccount.com';
const PROJECT = 'fake-project';
const TOKEN = 'ya29.static-test-token';
const FAST = { requestsPerSecond: 500, backoffMs: 10, maxRetries: 6 };
const WINDOW = { start: '2021-01-01T00:00:00Z', end: '2025-12-31T00:00:00Z' };

let server: GcpTestServer;
let dir: ReturnType<typeof tempDir>;
let core: Core;

beforeEach(async () => {
  server = await startGcpLoggingServer({ entries, token: TOKEN, pageSize: 5 });
  dir = tempDir('firebreak-gcp-pull-');
  core = testCore(dir.path);
});
afterEach(async () => {
  core.close();
  dir.cleanup();
  await server.close();
});

/** A token-only OAuth2 client: what application default credentials hand the SDK, without a refresh. */
async function staticAuth(token: string) {
  const { auth } = await import('@googleapis/logging');
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: token });
  return client;
}

const newIncident = async () => (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params: { gcp_agent_service_account: AGENT } })).id;
const pull = async (incidentId: string, input: Partial<CloudPullInput> = WINDOW, extra: { signal?: AbortSignal; onProgress?: (l: string) => void; token?: string } = {}) =>
  pullCloudLogs(
    core.context,
    { incidentId, cloud: 'gcp', scope: PROJECT, endpoint: server.url, ...input },
    { pacing: FAST, gcpAuth: await staticAuth(extra.token ?? TOKEN), ...(extra.signal ? { signal: extra.signal } : {}), ...(extra.onProgress ? { onProgress: extra.onProgress } : {}) },
  );

describe('logs pull --cloud gcp (the real @googleapis/logging over HTTP)', () => {
  it('reads every page of audit entries, backs off on RESOURCE_EXHAUSTED, keeps each page as received, and stores what a file import stores', async () => {
    const id = await newIncident();
    server.throttleNext(1);
    const progress: string[] = [];
    const r = await pull(id, WINDOW, { onProgress: (l) => progress.push(l) });
    expect(r.collection.status).toBe('done');
    expect(r.collection.source).toEqual({ cloud: 'gcp', scope: PROJECT });
    expect(audit).toHaveLength(13);
    expect([r.pages, r.records]).toEqual([3, audit.length]);
    expect(r.filter).toBe(gcpFilter('2021-01-01T00:00:00.000Z', '2025-12-31T00:00:00.000Z'));
    expect(server.requests.map((q) => q.status)).toEqual([429, 200, 200, 200]);
    expect(server.requests.map((q) => q.body.pageToken ?? null).filter(Boolean)).toHaveLength(2);
    expect(server.requests.every((q) => q.body.filter === r.filter && q.body.resourceNames?.[0] === `projects/${PROJECT}` && q.body.orderBy === 'timestamp asc')).toBe(true);
    expect(progress.filter((l) => /entries\.list: throttled \(HTTP 429 RESOURCE_EXHAUSTED\); retry 1 of 6; waiting \d+ ms/.test(l))).toHaveLength(1);

    const items = (await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: id })).filter((i) => i.name.startsWith('gcp-audit-log_'));
    expect(items.map((i) => i.name).sort()).toEqual([1, 2, 3].map((n) => `gcp-audit-log_${PROJECT}_page-${n}.json`));
    const sent = server.requests.filter((q) => q.status === 200).map((q) => q.response);
    for (const item of items) {
      const bytes = readFileSync(objectPath(dir.path, item.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
      expect(sent).toContain(bytes.toString('utf8'));
    }

    // The same entries as a Cloud Storage sink holds them (JSON lines, oldest first, the order the pull asked for):
    // the stored calls are the same. The order matters for long-running operations: the entry read first is the one kept.
    const fromFile = await newIncident();
    const sinkFile = join(dir.path, 'cloudaudit.googleapis.com', 'activity', 'sink_S0.json');
    mkdirSync(dirname(sinkFile), { recursive: true });
    writeFileSync(sinkFile, [...audit].sort((a, b) => Date.parse(String(a.timestamp)) - Date.parse(String(b.timestamp))).map((e) => JSON.stringify(e)).join('\n'));
    const imported = await call<LogsImportResult>(core, 'logs.import', { incidentId: fromFile, paths: [sinkFile] });
    expect(imported.files.map((f) => [f.cloud, f.status, f.records])).toEqual([['gcp', 'ok', audit.length]]);
    expect(r.byCloud).toEqual(imported.byCloud);
    const pulled = await storedCalls(core, id);
    // Long-running operations write a first and a last entry: one call each.
    expect(pulled).toHaveLength(r.byCloud.gcp);
    expect(r.byCloud.gcp).toBeGreaterThanOrEqual(10);
    expect(pulled).toEqual(await storedCalls(core, fromFile));
    expect(await findingTitles(core, id)).toEqual(await findingTitles(core, fromFile));
    // The agent's own call (a service account creating a service account) is attributed to it.
    const agentCalls = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId: id, filter: { agentOnly: true }, offset: 0, limit: 50 });
    expect(agentCalls.events.map((e) => [e.eventName, e.agentIdentity])).toEqual([['google.iam.admin.v1.CreateServiceAccount', AGENT]]);

    expect(await call(core, 'audit.verify', { scope: id })).toMatchObject({ ok: true });
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: id });
    expect(ledger.filter((e) => e.action === 'logs.page-collected').every((e) => e.actor.includes('GCP audit log pull'))).toBe(true);
    expect(JSON.stringify(ledger)).not.toContain(TOKEN);
  });

  it('resumes an interrupted pull from its saved page token, and reads the window again when the token has expired', async () => {
    const id = await newIncident();
    const ac = new AbortController();
    await expect(pull(id, WINDOW, { signal: ac.signal, onProgress: (l) => (/page 1:/.test(l) ? ac.abort() : undefined) })).rejects.toThrow(/interrupted .*resume CTC-/);
    expect((await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId: id })).collections[0]).toMatchObject({ status: 'interrupted', pages: 1 });
    const before = server.requests.length;
    const r = await pull(id, {});
    expect([r.resumed, r.collection.status, r.pages, r.records]).toEqual([true, 'done', 3, audit.length]);
    // Carried on with the token of page 2: page 1 was not asked for again.
    expect(server.requests.slice(before).every((q) => q.body.pageToken)).toBe(true);

    const other = await newIncident();
    const again = new AbortController();
    await expect(pull(other, WINDOW, { signal: again.signal, onProgress: (l) => (/page 2:/.test(l) ? again.abort() : undefined) })).rejects.toThrow(/interrupted/);
    server.expireNextPageToken();
    const progress: string[] = [];
    const restarted = await pull(other, WINDOW, { onProgress: (l) => progress.push(l) });
    expect(restarted.resumed).toBe(true);
    expect(progress.some((l) => /saved page position was refused .*INVALID_ARGUMENT.*reading the window again/.test(l))).toBe(true);
    expect(await storedCalls(core, other)).toEqual(await storedCalls(core, id));
  });

  it('fails a pull whose page was refused, says so in the report, and carries it on from that page', async () => {
    const id = await newIncident();
    server.failNextPage(404, 'NOT_FOUND', 'Log bucket not found');
    const failed = await pull(id);
    expect([failed.collection.status, failed.pages]).toEqual(['failed', 1]);
    expect(failed.collection.errors).toEqual(['entries.list project fake-project: NOT_FOUND (HTTP 404): Log bucket not found']);
    expect(unreadLogs(core.context.db, id)).toEqual([
      expect.objectContaining({ source: 'GCP audit log pull', what: 'entries.list fake-project page 2', outcome: 'failed', reason: 'NOT_FOUND (HTTP 404): Log bucket not found', evidenceId: null }),
    ]);
    const r = await pull(id);
    expect([r.resumed, r.collection.id, r.collection.status, r.pages, r.records]).toEqual([true, failed.collection.id, 'done', 3, audit.length]);
  });

  it('asks for one principal only when given, and stops when the token is refused', async () => {
    const id = await newIncident();
    const r = await pull(id, { ...WINDOW, caller: AGENT });
    expect(r.filter).toBe(`${gcpFilter('2021-01-01T00:00:00.000Z', '2025-12-31T00:00:00.000Z')} AND protoPayload.authenticationInfo.principalEmail="${AGENT}"`);
    expect([r.pages, r.records, r.byCloud.gcp]).toEqual([1, 1, 1]);
    const other = await newIncident();
    await expect(pull(other, WINDOW, { token: 'ya29.wrong' })).rejects.toThrow(/Google Cloud refused the credentials for entries\.list project fake-project: UNAUTHENTICATED \(HTTP 401\)/);
  });
});
