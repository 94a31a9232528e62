import { type PrecomputedAnswer, startAthenaServer } from '../helpers/athena-server';
import { athenaColumns, athenaRowOf } from '../helpers/athena-rows';
import { expect, test } from './fixtures';
import { AthenaQuery } from './pages/athena-query';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

const ACCOUNT = '111122223333';
const ACCESS_KEY = 'AKIAFBATHENAE2E00001';
// The served app inherits this environment: the SDK's default chain finds the test key and nothing else.
Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });

const deletion = {
  eventVersion: '1.11',
  userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLEAGENT00001:run-1', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/run-1`, accountId: ACCOUNT, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`, userName: 'ai-agent-prod' } } },
  eventTime: '2026-12-01T10:01:00Z',
  eventSource: 'rds.amazonaws.com',
  eventName: 'DeleteDBInstance',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-sdk-js/3.600.0',
  requestParameters: { dBInstanceIdentifier: 'orders-prod', skipFinalSnapshot: true },
  eventID: '33333333-0000-4000-8000-000000000001',
  eventType: 'AwsApiCall',
  readOnly: false,
  recipientAccountId: ACCOUNT,
};

test('Query in Athena: the estimate and SQL first, then the run brings the matching events into the incident', async ({ page, app }) => {
  const server = await startAthenaServer({
    accessKeys: [ACCESS_KEY],
    answer: (sql): PrecomputedAnswer =>
      sql.includes('matched_rule')
        ? { end: 'SUCCEEDED', bytesScanned: 52_428_800, columns: athenaColumns, rowCount: 1, row: () => athenaRowOf(deletion, 'rds-delete-instance') }
        : { end: 'SUCCEEDED', bytesScanned: 52_428_800, columns: ['principal_arn', 'minute', 'calls', 'errors', 'writes'], rowCount: 0 },
  });
  try {
    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action' });
    const { cloudtrail } = new RunPage(page);
    await cloudtrail.open();
    const athena = new AthenaQuery(page);
    await athena.fill({ database: 'ir_forensics', table: 'cloudtrail_org', regions: 'us-east-1', start: '2026-11-30T00:00:00Z', createTable: true, bucket: 's3://org-trail-logs', organizationId: 'o-a1b2c3d4e5', endpoint: server.url });
    await page.getByTestId('athena-accounts').fill(ACCOUNT);
    await athena.askEstimate();
    await expect(athena.estimate).toContainText(/About .+ scanned, about \$\d+\.\d\d/);
    await expect(athena.sql).toContainText('CREATE EXTERNAL TABLE IF NOT EXISTS `ir_forensics`.`cloudtrail_org`', { useInnerText: false });
    expect(server.requests).toHaveLength(0);
    await athena.run();
    await expect(athena.result).toContainText('1 events from Athena (1 new)');
    await cloudtrail.ready();
    await expect(cloudtrail.summary).toContainText('1 events');
  } finally {
    await server.close();
  }
});
