import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCloudLogs } from '../../../electron/core/cloudtrail/analyse/logs-scan';
import { repoRoot } from '../../helpers/core';
import {
  AZURE_AGENT_APPID,
  GCP_AGENT,
  azureBlobPath,
  azureRecords,
  gcpEntries,
  gcpSinkPath,
  writeJsonLines,
} from '../../helpers/cloud-logs-corpus';
import { tempDir } from '../../helpers/temp';

const REF = resolve(repoRoot, '..', 'shared', 'reference');
const dir = tempDir('firebreak-cloud-logs-');
afterAll(() => dir.cleanup());
const scan = (paths: string[], agents: string[] = []) => scanCloudLogs(paths, { resourcesDir: repoRoot, agents });
const T0 = Date.parse('2026-03-10T09:00:00Z');

describe('logs scan: one event model over CloudTrail, Azure and GCP', () => {
  it('reads the real Azure and GCP samples: every shape, attribution to service principals, users and service accounts', async () => {
    const r = await scan([join(REF, 'azure-activity'), join(REF, 'gcp-audit')]);
    expect(r.failedFiles).toEqual([]);
    expect(r.byCloud.aws).toBe(0);
    expect(r.byCloud.azure).toBeGreaterThan(100);
    expect(r.byCloud.gcp).toBeGreaterThanOrEqual(9);
    const disk = r.highRisk.find((h) => h.operation === 'Microsoft.Compute/disks/delete');
    expect(disk).toMatchObject({ cloud: 'azure', eventID: '587eda65-125e-48c2-9b04-ab5e8d3a1d8e', principal: '12345678-9abc-defg-hijk-lmnopqrstuvw' });
    expect(disk?.attack).toContain('T1485');
    expect(r.byPrincipal['12345678-9abc-defg-hijk-lmnopqrstuvw']?.kind).toBe('service-principal');
    expect(r.byPrincipal['fakeemail@fakedomain.com']?.kind).toBe('user');
    expect(r.byPrincipal['dvwa-service-account@ketchup.iam.gserviceaccount.com']?.kind).toBe('service-account');
    expect(r.byPrincipal['system:gcp-controller-manager']?.kind).toBe('cloud-service');
    // The storage-export (Event Hub) record: logging diverted by a user, matched whatever the case of operationName.
    expect(r.highRisk.some((h) => h.operation === 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE' && h.attack.includes('T1562.008'))).toBe(true);
    const plaso = r.fileResults.find((f) => f.path.endsWith('gcp_logging.jsonl'));
    expect(plaso).toMatchObject({ cloud: 'gcp', status: 'ok' });
  });

  it('counts Azure operations, not records: Start and outcome pair by correlationId, the outcome decides the status', async () => {
    const root = join(dir.path, 'azure');
    const calls = Array.from({ length: 30 }, (_, i) =>
      azureRecords({
        ms: T0 + i * 200,
        operation: i === 29 ? 'Microsoft.Sql/servers/databases/delete' : 'Microsoft.Sql/servers/databases/write',
        caller: { appid: AZURE_AGENT_APPID },
        result: i === 28 ? 'Failure' : 'Success',
        correlationId: `11111111-0000-4000-8000-${String(i).padStart(12, '0')}`,
      }),
    ).flat();
    // A Start in one hourly blob, its outcome in the next (gzip): still one operation.
    writeJsonLines(azureBlobPath(root, T0), calls.slice(0, 31));
    writeJsonLines(`${azureBlobPath(root, T0 + 3_600_000)}.gz`, [...calls.slice(31), { ...calls[0], time: 'yesterday' }]);
    // The same delete again, as the REST API returns it (value[], camelCase objects), and as an Event Hub batch.
    writeFileSync(
      join(root, 'rest.json'),
      JSON.stringify({
        value: [
          {
            eventTimestamp: '2026-03-10T09:30:00.5000000Z',
            operationName: { value: 'Microsoft.KeyVault/vaults/delete', localizedValue: 'Delete Key Vault' },
            status: { value: 'Succeeded' },
            eventDataId: 'rest-0001',
            correlationId: 'rest-corr',
            caller: 'mallory@contoso.example',
            claims: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@contoso.example' },
            resourceId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
          },
        ],
      }),
    );
    writeFileSync(join(root, 'eventhub.json'), gzipSync(JSON.stringify({ records: azureRecords({ ms: T0 + 60_000, operation: 'Microsoft.Authorization/roleAssignments/write', caller: { upn: 'bob@contoso.example' }, correlationId: 'eh-1' }) })));
    const r = await scan([root], [AZURE_AGENT_APPID]);
    expect(r.byCloud.azure).toBe(30 + 1 + 1);
    expect(r.records).toBe(60 + 1 + 2);
    expect(r.refusedNoTime).toBe(1);
    const late = r.fileResults.find((f) => f.path.endsWith('.gz') && f.path.includes('insights-activity-logs'));
    expect(late).toMatchObject({ status: 'partial', refusedNoTime: { count: 1, positions: [30] } });
    expect(late?.reason).toMatch(/1 record refused for want of a valid time \(record 30\)/);
    const del = r.highRisk.filter((h) => h.operation.toLowerCase() === 'microsoft.sql/servers/databases/delete');
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({ agent: true, principal: AZURE_AGENT_APPID, errorCode: null, simultaneous: false });
    expect(r.highRisk.map((h) => h.operation)).toEqual(expect.arrayContaining(['Microsoft.KeyVault/vaults/delete', 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE']));
    const agent = r.byPrincipal[AZURE_AGENT_APPID];
    expect(agent).toMatchObject({ cloud: 'azure', kind: 'service-principal', calls: 30, agent: true });
    expect(agent?.cadence.verdict).toBe('machine');
    expect(agent?.automation.likely).toBe(true);
    expect(r.unmatchedAgents).toEqual([]);
  });

  it('deduplicates GCP entries on insertId + timestamp across overlapping sinks and folds operation.first/last into one', async () => {
    const root = join(dir.path, 'gcp');
    const entries = Array.from({ length: 12 }, (_, i) =>
      gcpEntries({ ms: T0 + i * 300, method: i === 11 ? 'google.iam.admin.v1.CreateServiceAccountKey' : 'cloudsql.instances.update', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: `e${i}`, longRunning: i % 2 === 0 }),
    ).flat();
    writeJsonLines(gcpSinkPath(root, T0), entries);
    // A second sink over the same hour: every entry again.
    writeJsonLines(`${gcpSinkPath(root, T0, 'S1')}.gz`, entries);
    // gcloud logging read --format=json: an array, a person at a human pace with the SDK's user agent.
    const human = Array.from({ length: 8 }, (_, i) => gcpEntries({ ms: T0 + i * 41_000, method: 'storage.buckets.delete', service: 'storage.googleapis.com', principal: 'ops@example.org', insertId: `h${i}`, userAgent: 'google-cloud-sdk gcloud/470.0.0', code: i === 3 ? 7 : 0 })).flat();
    writeFileSync(join(root, 'gcloud.json'), JSON.stringify(human, null, 2));
    const r = await scan([root], [GCP_AGENT, 'nobody@example.org']);
    expect(r.duplicates).toBe(entries.length);
    expect(r.byCloud.gcp).toBe(12 + 8);
    expect(r.records).toBe(entries.length + 8);
    const key = r.highRisk.find((h) => h.operation.endsWith('CreateServiceAccountKey'));
    expect(key).toMatchObject({ cloud: 'gcp', eventID: 'e11', agent: true, principal: GCP_AGENT });
    expect(key?.attack).toContain('T1098.001');
    const buckets = r.highRisk.filter((h) => h.operation === 'storage.buckets.delete');
    expect(buckets).toHaveLength(8);
    expect(buckets.filter((b) => b.errorCode !== null)).toHaveLength(1);
    // Cadence decides automation: 41 s apart with a CLI user agent is a person.
    expect(r.byPrincipal['ops@example.org']).toMatchObject({ kind: 'user', automation: { likely: false } });
    expect(r.byPrincipal['ops@example.org']?.cadence.verdict).toBe('human-paced');
    expect(r.byPrincipal[GCP_AGENT]).toMatchObject({ kind: 'service-account', agent: true, automation: { likely: true } });
    expect(r.unmatchedAgents).toEqual(['nobody@example.org']);
  });

  it('maps CloudTrail into the same model: same-second calls are marked simultaneous, never put in an invented order', async () => {
    const r = await scan([join(REF, 'cloudtrail', 'samples', 'stratus-red-team')]);
    expect(r.byCloud.aws).toBeGreaterThan(100);
    expect(r.byCloud.azure + r.byCloud.gcp).toBe(0);
    const same = r.highRisk.filter((h) => h.eventTime === '2024-08-01T13:33:28Z');
    expect(same.length).toBeGreaterThanOrEqual(2);
    expect(same.every((h) => h.simultaneous)).toBe(true);
    expect(r.highRisk.find((h) => h.operation === 'StopLogging')).toMatchObject({ cloud: 'aws', simultaneous: false, attack: ['T1562.008'] });
  });

  it('orders sub-second Azure calls by their fractions: protection off before the delete in the same second', async () => {
    const root = join(dir.path, 'order');
    const at = T0 + 7_000;
    writeJsonLines(join(root, 'PT1H.json'), [
      ...azureRecords({ ms: at + 600, operation: 'Microsoft.Sql/servers/databases/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'o-2' }),
      ...azureRecords({ ms: at + 100, operation: 'Microsoft.Authorization/locks/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'o-1' }),
    ]);
    const r = await scan([root]);
    expect(r.highRisk.map((h) => h.operation.toLowerCase())).toEqual(['microsoft.authorization/locks/delete', 'microsoft.sql/servers/databases/delete']);
    expect(r.highRisk.every((h) => !h.simultaneous)).toBe(true);
  });
});
