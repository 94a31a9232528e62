import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { TimelinePage } from '../../../electron/shared/cloudtrail';
import type { Incident } from '../../../electron/shared/domain';
import { AZURE_AGENT_APPID, azureBlobPath, azureRecords, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-clouds2-order-');
let core: Core;
let incidentId: string;

/** A CloudTrail call by one IAM user at a whole second, as the export writes it. */
const ctCall = (eventID: string, eventName: string, eventTime: string) => ({
  eventVersion: '1.10',
  eventID,
  eventName,
  eventSource: 'rds.amazonaws.com',
  eventTime,
  eventType: 'AwsApiCall',
  awsRegion: 'eu-west-1',
  readOnly: false,
  sourceIPAddress: '203.0.113.9',
  userAgent: 'aws-cli/2.15.0',
  requestParameters: { dBInstanceIdentifier: 'ledger' },
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333', userName: 'ops', principalId: 'AIDAEXAMPLE' },
});

beforeAll(async () => {
  core = testCore(join(dir.path, 'data'));
  incidentId = (await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action', params: {} })).id;
  mkdirSync(join(dir.path, 'logs'));
  // The export file is not in time order, and its event ids sort the other way round from the calls' file order.
  writeFileSync(
    join(dir.path, 'logs', 'trail.json'),
    JSON.stringify({
      Records: [
        ctCall('ccc-3', 'ModifyDBInstance', '2026-03-10T09:00:05Z'),
        ctCall('aaa-1', 'DeleteDBInstance', '2026-03-10T09:00:05Z'),
        ctCall('bbb-2', 'DescribeDBInstances', '2026-03-10T09:00:09Z'),
      ],
    }),
  );
  // Azure knows fractions of a second: the later call of the two is written first.
  const t = Date.parse('2026-03-10T09:00:20Z');
  const [, deleteOutcome] = azureRecords({ ms: t + 600, operation: 'Microsoft.Sql/servers/databases/delete', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-z-del' });
  const [, modifyOutcome] = azureRecords({ ms: t + 100, operation: 'Microsoft.Sql/servers/databases/write', caller: { appid: AZURE_AGENT_APPID }, correlationId: 'corr-a-mod' });
  writeJsonLines(azureBlobPath(join(dir.path, 'logs'), t), [deleteOutcome as Record<string, unknown>, modifyOutcome as Record<string, unknown>]);
  await call(core, 'logs.import', { incidentId, paths: [join(dir.path, 'logs')] });
});
afterAll(() => {
  core.close();
  dir.cleanup();
});

describe('the timeline within one second', () => {
  it('shows same-second CloudTrail calls as simultaneous, in the order they were read, never by event id', async () => {
    const page = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter: { cloud: 'aws' }, offset: 0, limit: 10 });
    expect(page.events.map((e) => [e.eventID, e.simultaneous])).toEqual([
      ['ccc-3', true],
      ['aaa-1', true],
      ['bbb-2', false],
    ]);
  });

  it('lets sub-second times decide the order of Azure calls', async () => {
    const page = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter: { cloud: 'azure' }, offset: 0, limit: 10 });
    expect(page.events.map((e) => [e.eventName, e.simultaneous])).toEqual([
      ['MICROSOFT.SQL/SERVERS/DATABASES/WRITE', false],
      ['MICROSOFT.SQL/SERVERS/DATABASES/DELETE', false],
    ]);
  });
});
