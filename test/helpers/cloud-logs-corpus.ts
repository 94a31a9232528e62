/**
 * Synthetic Azure Activity Log and GCP Cloud Audit Logs exports, shaped as the clouds write them (storage-account JSON
 * lines under insights-activity-logs/resourceId=/SUBSCRIPTIONS/.../PT1H.json, Cloud Storage sink JSON lines under
 * cloudaudit.googleapis.com/activity/YYYY/MM/DD/HH:00:00_HH:59:59_S0.json), for tests and the benchmark.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';
export const AZURE_AGENT_APPID = 'a9e1f0c2-7d1e-4c8b-9a59-agent0000001';
export const GCP_PROJECT = 'prod-payments';
export const GCP_AGENT = 'ai-agent@prod-payments.iam.gserviceaccount.com';

export interface AzureCall {
  ms: number;
  operation: string;
  caller: { appid?: string; upn?: string; name?: string };
  result?: 'Success' | 'Failure';
  correlationId: string;
  resource?: string;
}

/** The two records Azure writes for one operation: Start, then Success or Failure (storage-export schema). */
export function azureRecords(c: AzureCall): Array<Record<string, unknown>> {
  const claims: Record<string, unknown> = c.caller.appid
    ? { appid: c.caller.appid, idtyp: 'app', 'http://schemas.microsoft.com/identity/claims/objectidentifier': c.caller.appid }
    : { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': c.caller.upn, name: c.caller.name ?? c.caller.upn };
  const resourceId = c.resource ?? `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.SQL/SERVERS/PAY-SQL/DATABASES/LEDGER`;
  const base = {
    resourceId,
    operationName: c.operation.toUpperCase(),
    category: 'Administrative',
    callerIpAddress: '203.0.113.7',
    correlationId: c.correlationId,
    level: 'Information',
    location: 'westeurope',
    identity: {
      authorization: { scope: resourceId.toLowerCase(), action: c.operation, evidence: { role: 'Contributor', principalId: (c.caller.appid ?? 'user0001').replace(/-/g, ''), principalType: c.caller.appid ? 'ServicePrincipal' : 'User' } },
      claims,
    },
    properties: { statusCode: c.result === 'Failure' ? 'Forbidden' : 'OK' },
  };
  const end = c.result ?? 'Success';
  return [
    { time: new Date(c.ms).toISOString().replace('Z', '1234Z'), ...base, resultType: 'Start', resultSignature: 'Started.', durationMs: '0' },
    { time: new Date(c.ms + 180).toISOString().replace('Z', '5678Z'), ...base, resultType: end, resultSignature: end === 'Failure' ? 'Failed.Forbidden' : 'Succeeded.OK', durationMs: '180' },
  ];
}

export interface GcpCall {
  ms: number;
  method: string;
  service: string;
  principal: string;
  insertId: string;
  /** A long-running operation writes a first and a last entry. */
  longRunning?: boolean;
  code?: number;
  resource?: string;
  userAgent?: string;
}

export function gcpEntries(c: GcpCall): Array<Record<string, unknown>> {
  const entry = (ms: number, insertId: string, op: Record<string, unknown> | null) => ({
    insertId,
    logName: `projects/${GCP_PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`,
    ...(op ? { operation: op } : {}),
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: c.principal },
      methodName: c.method,
      requestMetadata: { callerIp: '198.51.100.9', callerSuppliedUserAgent: c.userAgent ?? 'google-api-go-client/0.5 agent-runtime' },
      resourceName: c.resource ?? `projects/${GCP_PROJECT}/instances/ledger`,
      serviceName: c.service,
      ...(c.code ? { status: { code: c.code, message: 'PERMISSION_DENIED' } } : {}),
    },
    receiveTimestamp: new Date(ms + 900).toISOString(),
    resource: { labels: { project_id: GCP_PROJECT, location: 'europe-west1' }, type: 'cloudsql_database' },
    severity: 'NOTICE',
    timestamp: new Date(ms).toISOString().replace('Z', '123Z'),
  });
  if (!c.longRunning) return [entry(c.ms, c.insertId, null)];
  const op = { id: `operation-${c.insertId}`, producer: c.service };
  return [entry(c.ms, c.insertId, { ...op, first: true }), entry(c.ms + 4000, `${c.insertId}-last`, { ...op, last: true })];
}

/** Writes JSON lines at a path (gzip when it ends in .gz), making its folders. */
export function writeJsonLines(path: string, records: Array<Record<string, unknown>>): string {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text, { level: 1 }) : text);
  return path;
}

export const azureBlobPath = (root: string, ms: number): string => {
  const t = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return join(root, 'insights-activity-logs', `resourceId=`, 'SUBSCRIPTIONS', SUBSCRIPTION.toUpperCase(), `y=${t.getUTCFullYear()}`, `m=${p2(t.getUTCMonth() + 1)}`, `d=${p2(t.getUTCDate())}`, `h=${p2(t.getUTCHours())}`, 'm=00', 'PT1H.json');
};

export const gcpSinkPath = (root: string, ms: number, shard = 'S0'): string => {
  const t = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const h = p2(t.getUTCHours());
  return join(root, 'cloudaudit.googleapis.com', 'activity', String(t.getUTCFullYear()), p2(t.getUTCMonth() + 1), p2(t.getUTCDate()), `${h}:00:00_${h}:59:59_${shard}.json`);
};

/**
 * Volume for the benchmark: `records` Azure records (Start + outcome pairs) or GCP entries, hourly files, by a crowd of
 * human users, a few service principals, and the agent in machine-speed bursts with a destructive call now and then.
 */
export function generateCloudCorpus(cloud: 'azure' | 'gcp', root: string, records: number, perFile = 20_000): { files: string[]; operations: number } {
  const files: string[] = [];
  const start = Date.parse('2026-03-10T00:00:00Z');
  let ms = start;
  let batch: Array<Record<string, unknown>> = [];
  let operations = 0;
  let written = 0;
  let fileNo = 0;
  const flush = () => {
    if (!batch.length) return;
    const hour = start + fileNo * 3_600_000;
    const path = cloud === 'azure' ? azureBlobPath(root, hour) : gcpSinkPath(root, hour);
    files.push(writeJsonLines(path, batch));
    fileNo++;
    batch = [];
  };
  for (let i = 0; written < records; i++) {
    const who = i % 10;
    const agent = who < 3;
    ms += agent ? 150 : 2500;
    const destructive = agent && i % 500 === 0;
    if (cloud === 'azure') {
      const recs = azureRecords({
        ms,
        operation: destructive ? 'Microsoft.Sql/servers/databases/delete' : i % 3 ? 'Microsoft.Sql/servers/databases/read' : 'Microsoft.Sql/servers/databases/write',
        caller: agent ? { appid: AZURE_AGENT_APPID } : { upn: `user${who}@contoso.example`, name: `User ${who}` },
        correlationId: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
      });
      batch.push(...recs);
      written += recs.length;
    } else {
      const recs = gcpEntries({
        ms,
        // Writes that are not high-risk, as on the Azure side (cloudsql.instances.update is in the table: it can turn deletion protection off).
        method: destructive ? 'cloudsql.instances.delete' : i % 3 ? 'cloudsql.instances.get' : 'cloudsql.databases.patch',
        service: 'cloudsql.googleapis.com',
        principal: agent ? GCP_AGENT : `user${who}@example.org`,
        insertId: `ins${i.toString(36)}`,
        longRunning: i % 4 === 0,
      });
      batch.push(...recs);
      written += recs.length;
    }
    operations++;
    if (batch.length >= perFile) flush();
  }
  flush();
  return { files, operations };
}
