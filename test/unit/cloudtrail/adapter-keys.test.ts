import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azureEvent } from '../../../electron/core/cloudtrail/model/azure-adapter';
import { gcpEvent } from '../../../electron/core/cloudtrail/model/gcp-adapter';
import { type LogSink, readLogFile } from '../../../electron/core/cloudtrail/model/log-file-reader';
import { AZURE_AGENT_APPID, GCP_AGENT, azureRecords, gcpEntries } from '../../helpers/cloud-logs-corpus';

/** The recorded Azure and GCP logs beside the project (../shared/reference), where present. */
const REFERENCE = resolve(__dirname, '../../../../shared/reference');

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : /\.jsonl?$/.test(name) ? [path] : [];
    });
  } catch {
    return [];
  }
}

/** Checks that an adapter's key parts join to the keys its event carries; returns how many records it checked. */
function checkAzure(record: Record<string, unknown>): number {
  const r = azureEvent(record, 'f', 1);
  if ('refused' in r) return 0;
  expect(r.idParts.join('')).toBe(r.event.eventId);
  expect(r.operationParts === null ? null : r.operationParts.join('')).toBe(r.event.operationKey);
  return 1;
}

function checkGcp(record: Record<string, unknown>): number {
  const r = gcpEvent(record, 'f', 1);
  if ('refused' in r) return 0;
  expect(r.dedupParts.join('')).toBe(`${r.event.eventId}|${r.event.time}`);
  expect(r.operationParts === null ? null : r.operationParts.join('')).toBe(r.event.operationKey);
  return 1;
}

describe('the Azure and GCP adapters key parts', () => {
  it('join to the event ids and operation keys of generated records, with and without ids of their own', () => {
    const azure = azureRecords({ ms: Date.parse('2026-03-10T09:00:00Z'), operation: 'Microsoft.Sql/servers/databases/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-1' });
    const variants: Array<Record<string, unknown>> = azure.flatMap((r) => [
      r,
      { ...r, correlationId: undefined },
      { ...r, resultType: '' },
      { ...r, eventDataId: 'evt-1' },
      { ...r, properties: { eventProperties: { eventDataId: 'evt-2' } } },
      { ...r, id: '/subscriptions/s/providers/microsoft.insights/eventtypes/management/values/events/evt-3/ticks/123' },
      { ...r, operationId: 'op-4' },
    ]);
    expect(variants.reduce((n, r) => n + checkAzure(r), 0)).toBe(variants.length);

    const gcp = gcpEntries({ ms: Date.parse('2026-03-10T09:00:00Z'), method: 'cloudsql.instances.delete', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: 'ins-1', longRunning: true });
    const entries: Array<Record<string, unknown>> = gcp.flatMap((e) => [e, { ...e, insertId: undefined }, { ...e, operation: { id: 'op-9' } }, { ...e, operation: { producer: 'p' } }]);
    expect(entries.reduce((n, e) => n + checkGcp(e), 0)).toBe(entries.length);
  });

  it('join to the keys of every recorded Azure and GCP record, read whole or member by member', async () => {
    const files = [...filesUnder(join(REFERENCE, 'azure-activity')), ...filesUnder(join(REFERENCE, 'gcp-audit'))];
    if (files.length === 0) return;
    let checked = 0;
    for (const membersOnly of [false, true]) {
      const sink: LogSink = {
        membersOnly,
        aws: () => undefined,
        azure: (record) => void (checked += checkAzure(record)),
        gcp: (record) => void (checked += checkGcp(record)),
      };
      for (const file of files) await readLogFile(file, sink);
    }
    expect(checked).toBeGreaterThan(20);
  });
});
