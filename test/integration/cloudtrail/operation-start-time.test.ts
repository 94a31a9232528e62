import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { LogsImportResult } from '../../../electron/shared/cloudlogs';
import type { TimelinePage } from '../../../electron/shared/cloudtrail';
import type { Incident } from '../../../electron/shared/domain';
import { AZURE_AGENT_APPID, GCP_AGENT, azureRecords, gcpEntries, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-operation-start-');
const T0 = Date.parse('2026-03-10T09:00:00Z');
let core: Core;

beforeAll(() => {
  core = testCore(join(dir.path, 'data'));
});
afterAll(() => {
  core.close();
  dir.cleanup();
});

async function importNewestFirst(name: string, records: Array<Record<string, unknown>>) {
  const incidentId = (
    await call<Incident>(core, 'incidents.create', {
      playbookId: 'agent-destructive-action',
      params: { azure_agent_principal: AZURE_AGENT_APPID, gcp_agent_service_account: GCP_AGENT },
    })
  ).id;
  // `gcloud logging read --format=json` and `az monitor activity-log list` give the newest record first.
  const file = writeJsonLines(join(dir.path, `${name}.json`), [...records].reverse());
  const r = await call<LogsImportResult>(core, 'logs.import', { incidentId, paths: [file] });
  const page = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter: {}, offset: 0, limit: 50 });
  return { r, page };
}

describe('an operation read outcome first is stored at the time it began', () => {
  it('GCP: a long-running delete whose last entry comes first is one call at its first entry time', async () => {
    const entries = gcpEntries({ ms: T0 + 5000, method: 'cloudsql.instances.delete', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: 'lro-9', longRunning: true });
    const { page } = await importNewestFirst('gcp', entries);
    expect(page.events).toHaveLength(1);
    expect(page.events[0]?.eventName).toBe('cloudsql.instances.delete');
    expect(Date.parse(page.events[0]?.eventTime ?? '')).toBe(Date.parse(String(entries[0]?.timestamp)));
  });

  it('Azure: a delete whose Success record comes before its Start is one call at the Start time, with the outcome kept', async () => {
    const records = azureRecords({ ms: T0 + 2000, operation: 'Microsoft.Sql/servers/databases/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-9' });
    const { page } = await importNewestFirst('azure', records);
    expect(page.events).toHaveLength(1);
    const start = records[0] as { eventTimestamp?: string; time?: string };
    expect(Date.parse(page.events[0]?.eventTime ?? '')).toBe(Date.parse(String(start.eventTimestamp ?? start.time)));
    expect(page.events[0]?.errorCode).toBeNull();
  });
});
