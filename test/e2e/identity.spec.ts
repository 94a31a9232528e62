import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`;

const event = (n: number, eventSource: string, eventName: string, errorCode?: string) => ({
  eventVersion: '1.11',
  userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLEAGENT00001:run-1', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/run-1`, accountId: ACCOUNT, sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, userName: 'ai-agent-prod' } } },
  eventTime: `2026-12-01T10:0${n}:00Z`,
  eventSource,
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-sdk-js/3.600.0',
  ...(errorCode ? { errorCode, errorMessage: 'not authorized' } : {}),
  eventID: `22222222-0000-4000-8000-${String(n).padStart(12, '0')}`,
  eventType: 'AwsApiCall',
  recipientAccountId: ACCOUNT,
});

test('agent identity tab: the IAM snapshot as evidence, then could versus did from the incident\'s logs', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  const id = await list.startIncident({ playbook: 'agent-destructive-action' });
  const { identity } = new RunPage(page);
  await identity.open();
  await expect(identity.empty).toBeVisible();

  const dir = app.dataDir;
  const role = join(dir, 'get-role.json');
  writeFileSync(role, JSON.stringify({ Role: { RoleName: 'ai-agent-prod', Arn: ROLE, RolePolicyList: [{ PolicyName: 'data', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['rds:*', 'dynamodb:*'], Resource: '*' }] } }] } }));
  const logs = join(dir, `${ACCOUNT}_CloudTrail_us-east-1_20261201T1000Z_e2e.json`);
  writeFileSync(logs, JSON.stringify({ Records: [event(1, 'rds.amazonaws.com', 'DeleteDBInstance'), event(2, 'iam.amazonaws.com', 'CreateUser', 'AccessDenied')] }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), '--data-dir', dir, '--actor', 'Dana Reyes', '--role', 'IR lead', ...args], { encoding: 'utf8' });
  const lastAccessed = join(dir, 'last-accessed.json');
  writeFileSync(lastAccessed, JSON.stringify({ JobStatus: 'COMPLETED', ServicesLastAccessed: [{ ServiceNamespace: 'dynamodb', LastAuthenticated: '2026-11-30T09:00:00Z' }, { ServiceNamespace: 'rds' }] }));
  expect(cli('iam', 'import', id, role).status).toBe(0);
  expect(cli('iam', 'import', id, lastAccessed, '--identity', ROLE).status).toBe(0);
  expect(cli('cloudtrail', 'import', id, logs).status).toBe(0);

  await page.reload();
  await identity.ready();
  await expect(identity.sources).toHaveCount(2);
  const card = identity.identity(ROLE);
  await expect(card.getByTestId('used')).toContainText('rds:DeleteDBInstance');
  await expect(card.getByTestId('denied')).toContainText('iam:CreateUser AccessDenied ×1');
  await expect(card.getByTestId('granted')).toContainText('boundary none');
  // Service last-accessed data beside the actions the logs never show.
  await expect(card.getByTestId('unused')).toContainText('Services last accessed (IAM): dynamodb 2026-11-30T09:00:00Z, rds not used in IAM’s tracking period');
});
