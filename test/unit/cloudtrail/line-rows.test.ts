import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCloudRiskTables } from '../../../electron/core/cloudtrail/analyse/cloud-high-risk';
import { readHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import { type LogRowBatch, LogRowEncoder } from '../../../electron/core/cloudtrail/analyse/log-rows';
import { type LogFileResult, type LogSink, readLogFile } from '../../../electron/core/cloudtrail/model/log-file-reader';
import { repoRoot } from '../../helpers/core';
import { AZURE_AGENT_APPID, GCP_AGENT, azureRecords, gcpEntries } from '../../helpers/cloud-logs-corpus';

/**
 * An audit record read member by member (LogRowEncoder.gcpLine, azureLine) must give the row its record gives through
 * gcpEvent or azureEvent (LogRowEncoder.gcp, azure) when the line is parsed whole with JSON.parse: the same batches,
 * refusals and file result, line for line, whatever the line holds.
 */

const dir = mkdtempSync(join(tmpdir(), 'fb-audit-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-03-10T09:00:00Z');

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickOf =
  (r: () => number) =>
  <T,>(xs: readonly T[]): T =>
    xs[Math.floor(r() * xs.length)] as T;

const METHODS = ['cloudsql.instances.get', 'cloudsql.databases.patch', 'cloudsql.instances.delete', 'storage.buckets.list', 'v1.compute.instances.insert', 'google.iam.admin.v1.DeleteServiceAccountKey', 'SetIamPolicy'];
const PRINCIPALS = [GCP_AGENT, 'ops@example.org', 'service-123@gcp-sa-cloudsql.iam.gserviceaccount.com', 'zoë@example.org'];
const TIMES = (ms: number): unknown[] => [
  new Date(ms).toISOString(),
  new Date(ms).toISOString().replace('Z', '123456Z'),
  new Date(ms).toISOString().replace('.000Z', 'Z'),
  new Date(ms).toISOString().replace('Z', '+00:00'),
  '2026-02-30T10:00:00Z',
  '2026-03-10T25:00:00.000Z',
  '2026-03-10 09:00:00',
  'yesterday',
  '',
  { value: new Date(ms).toISOString() },
  12345,
  null,
  '2026-03-1０T09:00:00.000Z',
];
const IDS = (i: number): unknown[] => [`id${i}`, `id-é-${i}`, `id"${i}`, '', null, 42, `id\\u00e9${i}`, { value: `v${i}` }];

/** Entries of every shape the reader meets, and some it should not. */
function lines(seed: number, count: number): string[] {
  const r = random(seed);
  const pick = pickOf(r);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const ms = T0 + i * 701;
    const [entry, last] = gcpEntries({
      ms,
      method: pick(METHODS),
      service: 'cloudsql.googleapis.com',
      principal: pick(PRINCIPALS),
      insertId: `e${i}`,
      longRunning: r() < 0.4,
      ...(r() < 0.15 ? { code: pick([7, 0, 5]) } : {}),
    }) as [Record<string, unknown>, Record<string, unknown> | undefined];
    for (const e of last && r() < 0.7 ? [entry, last] : [entry]) {
      const x: Record<string, unknown> = { ...e, protoPayload: { ...(e.protoPayload as object) } };
      const p = x.protoPayload as Record<string, unknown>;
      if (r() < 0.2) x.timestamp = pick(TIMES(ms));
      if (r() < 0.2) x.insertId = pick(IDS(i));
      if (r() < 0.05) delete x.insertId;
      if (r() < 0.05) delete x.timestamp;
      if (r() < 0.05) x.protoPayload = pick(['text', null, [1, 2]]);
      if (r() < 0.05) delete p.methodName;
      if (r() < 0.05) p.methodName = pick(['', 7, { value: 'cloudsql.instances.delete' }]);
      if (r() < 0.05) p.status = pick([{ code: 9, message: 'FAILED_PRECONDITION' }, { code: '9' }, 'broken', { code: 3, message: { value: 'm' } }]);
      if (r() < 0.05) p.authenticationInfo = pick([null, 'x', { principalSubject: 'user:who@example.org' }]);
      if (x.operation && r() < 0.1) x.operation = pick(['op', { id: '', producer: 'p', first: true }, { id: 'op-ü', last: true }, { id: 5, first: true }, { id: 'only-id' }, { id: 'both', first: true, last: true }]);
      if (r() < 0.03) x.logName = 'projects/p/logs/app';
      let text = JSON.stringify(x);
      // Shapes JSON.stringify does not make: a member named twice, escaped keys' values, spaces.
      if (r() < 0.03) text = text.replace('{"insertId"', '{"insertId":"first","insertId"');
      if (r() < 0.03) text = text.replace(/"timestamp":"/, '"timestamp": "');
      if (r() < 0.02) text = text.replace('"methodName":"', '"methodName":"\\u0063');
      // The payload twice: the second one (without status or caller) is the record's.
      if (r() < 0.02) text = text.replace('"protoPayload":{', `"protoPayload":{"methodName":"x.delete","status":{"code":7},"authenticationInfo":{"principalEmail":"gone@example.org"}},"protoPayload":{`);
      out.push(text);
    }
    // Lines that are not entries: a container, another log's entry, a broken line.
    if (r() < 0.01) out.push(JSON.stringify({ records: [entry] }));
    if (r() < 0.01) out.push(JSON.stringify({ logName: 'projects/p/logs/app', insertId: `app${i}`, timestamp: new Date(ms).toISOString() }));
    if (r() < 0.01) out.push('{"insertId": broken');
  }
  return out;
}

const OPERATIONS = ['Microsoft.Sql/servers/databases/delete', 'Microsoft.Sql/servers/databases/read', 'Microsoft.Compute/virtualMachines/write', 'Microsoft.Storage/storageAccounts/listKeys/action', 'Microsoft.Authorization/roleAssignments/write'];

/** Activity Log records of the shapes the exports write (storage, REST, snake_case), and damaged ones. */
function azureLines(seed: number, count: number): string[] {
  const r = random(seed);
  const pick = pickOf(r);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const ms = T0 + i * 701;
    const caller = pick([{ appid: AZURE_AGENT_APPID }, { upn: 'ops@contoso.example', name: 'Ops' }, { upn: 'zoë@contoso.example' }]);
    const pair = azureRecords({ ms, operation: pick(OPERATIONS), caller, correlationId: r() < 0.05 ? `c-ü-${i}` : `c-${i}`, ...(r() < 0.2 ? { result: 'Failure' as const } : {}) });
    for (const rec of r() < 0.8 ? pair : [pair[1] as Record<string, unknown>]) {
      let x: Record<string, unknown> = { ...rec };
      if (r() < 0.4) x.eventDataId = pick([`d-${i}-${x.resultType as string}`, '', `d-é-${i}`, 7]);
      if (r() < 0.1) x.properties = { ...(x.properties as object), eventProperties: pick([{ eventDataId: `ep-${i}` }, 'text', { other: 1 }]), statusMessage: pick(['denied', { value: 'm' }]) };
      if (r() < 0.05) x.id = `/subscriptions/s/providers/microsoft.insights/eventtypes/management/values/events/ev-${i}/ticks/638000000`;
      if (r() < 0.05) delete x.correlationId;
      if (r() < 0.1) x.time = pick(['yesterday', '', '2026-02-30T10:00:00Z', new Date(ms).toISOString().replace('Z', '+01:00'), { value: new Date(ms).toISOString() }, null]);
      if (r() < 0.05) delete x.time;
      if (r() < 0.05) x.resultType = pick(['Failed', 'Accepted', '', 'BeginRequest']);
      if (r() < 0.05) x.eventName = pick(['BeginRequest', 'EndRequest']);
      if (r() < 0.05) x.resultSignature = pick([null, '', 'Conflict']);
      if (r() < 0.05) x.identity = pick(['text', { claims: null }, { authorization: 'none', claims: { upn: 'x@y' } }, { claims: { xms_mirid: '/subscriptions/s/mi/agent-mi' } }]);
      if (r() < 0.05) x.httpRequest = { clientIpAddress: '10.0.0.9' };
      if (r() < 0.05) delete x.callerIpAddress;
      if (r() < 0.05) x.authorization = { evidence: { principalType: 'ManagedIdentity', principalId: 'mi-1' } };
      if (r() < 0.05) x.claims = { appid: 'rest-app', name: 'REST' };
      if (r() < 0.05) x.caller = pick(['Microsoft.Insights', 'someone@contoso.example', 'oid-1']);
      if (r() < 0.03) delete x.operationName;
      if (r() < 0.05) {
        // The REST shape: eventTimestamp, operationName.value, status.value.
        const { time, operationName, resultType, ...rest } = x;
        x = { ...rest, eventTimestamp: time, operationName: { value: operationName, localizedValue: 'x' }, status: { value: resultType } };
      }
      if (r() < 0.05) {
        const { time, operationName, resultType, correlationId, resourceId, ...rest } = x;
        x = { ...rest, event_timestamp: time, operation_name: operationName, result_type: resultType, correlation_id: correlationId, resource_id: resourceId, http_request: { client_ip_address: '10.0.0.8' } };
      }
      let text = JSON.stringify(x);
      if (r() < 0.03) text = text.replace('"identity":{', '"identity":{"claims":{"appid":"gone"}},"identity":{');
      if (r() < 0.02) text = text.replace('"resultType":"', '"resultType":"\\u0053');
      out.push(text);
    }
    if (r() < 0.01) out.push(JSON.stringify({ records: pair }));
  }
  return out;
}

/** The encoder as a sink of whole records: each line is parsed with JSON.parse and each entry goes through gcpEvent. */
function recordsOnly(encoder: LogRowEncoder): LogSink {
  return {
    aws: (v, f) => encoder.aws(v, f),
    azure: (r, f, p) => encoder.azure(r, f, p),
    gcp: (r, f, p) => encoder.gcp(r, f, p),
  };
}

async function readBoth(path: string, capacity: number) {
  const run = async (byLine: boolean) => {
    const batches: LogRowBatch[] = [];
    const encoder = new LogRowEncoder({ awsTable: readHighRiskTable(repoRoot), cloudTables: readCloudRiskTables(repoRoot), agents: [GCP_AGENT, AZURE_AGENT_APPID] }, (b) => batches.push(b), capacity);
    encoder.startFile();
    const result: LogFileResult = await readLogFile(path, byLine ? encoder : recordsOnly(encoder));
    encoder.flush();
    return { result, batches, refused: encoder.refused };
  };
  return { byLine: await run(true), byRecord: await run(false) };
}

describe('audit records read member by member', () => {
  /** Reads the file both ways and expects the same of each; the member path's reading, for more checks. */
  async function expectSameRows(path: string, capacity: number) {
    const { byLine, byRecord } = await readBoth(path, capacity);
    expect(byLine.result).toEqual(byRecord.result);
    expect(byLine.refused).toEqual(byRecord.refused);
    expect(byLine.batches.length).toBe(byRecord.batches.length);
    byLine.batches.forEach((b, i) => expect(b).toEqual(byRecord.batches[i]));
    // The mix holds what each path must meet: refusals, high-risk calls, failures, pairs.
    expect(byLine.batches.reduce((a, b) => a + b.rows, 0)).toBeGreaterThan(400);
    expect(byLine.refused.count).toBeGreaterThan(10);
    expect(byLine.batches.some((b) => b.hits.length > 0)).toBe(true);
  }

  it('give the rows, refusals and file result their records give', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const path = join(dir, `mixed-${seed}.json`);
      writeFileSync(path, `${lines(seed, 600).join('\n')}\n`);
      await expectSameRows(path, 97);
    }
  });

  it('give the rows of Azure records their records give, in every shape', async () => {
    for (const seed of [5, 6, 7, 8]) {
      const path = join(dir, `azure-${seed}.json`);
      writeFileSync(path, `${azureLines(seed, 500).join('\n')}\n`);
      await expectSameRows(path, 89);
    }
  });

  it('are read so in a plain export: most entries take the member path', async () => {
    const path = join(dir, 'plain.json');
    const plain = Array.from({ length: 300 }, (_, i) =>
      gcpEntries({ ms: T0 + i * 1000, method: 'cloudsql.instances.get', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: `p${i}`, longRunning: i % 3 === 0 }),
    ).flat();
    writeFileSync(path, `${plain.map((e) => JSON.stringify(e)).join('\n')}\n`);
    let byLine = 0;
    const batches: LogRowBatch[] = [];
    const encoder = new LogRowEncoder({ awsTable: readHighRiskTable(repoRoot), cloudTables: readCloudRiskTables(repoRoot), agents: [GCP_AGENT] }, (b) => batches.push(b));
    const counting: LogSink = Object.assign(Object.create(encoder) as LogRowEncoder, {
      gcpLine: (line: Parameters<LogRowEncoder['gcpLine']>[0], position: number) => {
        const taken = encoder.gcpLine(line, position);
        if (taken) byLine++;
        return taken;
      },
      gcp: (r: Record<string, unknown>, f: string, p: number) => encoder.gcp(r, f, p),
    });
    encoder.startFile();
    const result = await readLogFile(path, counting);
    encoder.flush();
    expect(result.records).toBe(plain.length);
    expect(byLine).toBe(plain.length);
    const { byRecord } = await readBoth(path, 4096);
    expect(batches).toEqual(byRecord.batches);
  });
});
