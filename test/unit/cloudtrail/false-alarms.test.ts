import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveFindings } from '../../../electron/core/cloudtrail/analyse/findings';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-false-alarms-');
afterAll(() => dir.cleanup());
const ACCOUNT = '111122223333';
const T0 = Date.parse('2026-03-10T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
let n = 0;
const call = (ms: number, userIdentity: Record<string, unknown>, eventSource: string, eventName: string, userAgent: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.11',
  userIdentity,
  eventTime: iso(ms),
  eventSource,
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.4',
  userAgent,
  eventID: `fa-${String(n++).padStart(6, '0')}`,
  ...extra,
});
const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, principalId: `AIDA${name}`, accountId: ACCOUNT, userName: name });
const agentRole = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/run-7`,
  principalId: 'AROAAGENT:run-7',
  accountId: ACCOUNT,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`, userName: 'ai-agent-prod' } },
};

describe('fewer false alarms, fewer duplicates', () => {
  it('lets cadence decide automation: a human on aws-cli, a console user and an AWS service are not automation', async () => {
    const records = [
      // A person at a terminal: aws-cli, 41 s between calls.
      ...Array.from({ length: 20 }, (_, i) => call(T0 + i * 41_000, user('dana'), 'ec2.amazonaws.com', i % 2 ? 'DescribeInstances' : 'CreateTags', 'aws-cli/2.15.0 Python/3.11 Linux/6.1 exe/x86_64', { readOnly: i % 2 === 1 })),
      // The EC2 console loads a page: many calls in one second, from EC2ConsoleFrontend.
      ...Array.from({ length: 15 }, (_, i) => call(T0 + 5_000 + (i % 3) * 300, user('erin'), 'ec2.amazonaws.com', 'DescribeInstances', 'EC2ConsoleFrontend, aws-internal/3 aws-sdk-java/1.12', { readOnly: true })),
      // CloudWatch Logs delivering to S3 at machine speed: an AWS service, not the account's automation.
      ...Array.from({ length: 30 }, (_, i) =>
        call(T0 + i * 200, { type: 'AWSService', invokedBy: 'delivery.logs.amazonaws.com' }, 's3.amazonaws.com', 'PutObject', 'delivery.logs.amazonaws.com'),
      ),
      // The agent deletes a database: one finding for the call, not also "First DeleteDBInstance".
      ...Array.from({ length: 6 }, (_, i) => call(T0 + 60_000 + i * 200, agentRole, 'rds.amazonaws.com', 'DescribeDBInstances', 'Boto3/1.34 langchain', { readOnly: true })),
      call(T0 + 61_400, agentRole, 'rds.amazonaws.com', 'DeleteDBInstance', 'Boto3/1.34 langchain', { requestParameters: { dBInstanceIdentifier: 'prod-ledger', skipFinalSnapshot: true } }),
    ];
    const file = join(dir.path, 'mixed.json');
    writeFileSync(file, JSON.stringify({ Records: records }));
    const r = await scanExports([file], { resourcesDir: repoRoot, agents: [`arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`], workers: 0 });
    const dana = r.byPrincipal[`arn:aws:iam::${ACCOUNT}:user/dana`];
    expect(dana?.cadence.verdict).toBe('human-paced');
    expect(dana?.automation.likely).toBe(false);
    expect(r.byPrincipal[`arn:aws:iam::${ACCOUNT}:user/erin`]?.automation.likely).toBe(false);
    expect(r.byPrincipal['AWSService:delivery.logs.amazonaws.com']?.automation.likely).toBe(false);
    expect(r.automation).toEqual([]);
    const findings = deriveFindings(r);
    expect(findings.filter((f) => f.kind === 'machine-cadence' && f.principalArn?.startsWith('AWSService:'))).toEqual([]);
    const aboutDelete = findings.filter((f) => f.eventIds.includes(r.highRisk.find((h) => h.eventName === 'DeleteDBInstance')?.eventID ?? '?'));
    expect(aboutDelete.map((f) => f.kind)).toEqual(['high-risk']);
  });

  it('marks high-risk calls in one whole second as simultaneous and keeps them in the order read, not by eventID', async () => {
    const a = call(T0, agentRole, 'cloudtrail.amazonaws.com', 'StopLogging', 'Boto3/1.34', { eventID: 'zzz-last-alphabetically' });
    const b = call(T0, agentRole, 'cloudtrail.amazonaws.com', 'DeleteTrail', 'Boto3/1.34', { eventID: 'aaa-first-alphabetically' });
    const c = call(T0 + 5_000, agentRole, 'guardduty.amazonaws.com', 'DeleteDetector', 'Boto3/1.34');
    const file = join(dir.path, 'same-second.json');
    writeFileSync(file, JSON.stringify({ Records: [a, b, c] }));
    const r = await scanExports([file], { resourcesDir: repoRoot, agents: [], workers: 0 });
    const inSecond = r.highRisk.filter((h) => h.eventTime === iso(T0));
    expect(inSecond.map((h) => h.eventName)).toEqual(['StopLogging', 'DeleteTrail']);
    expect(inSecond.every((h) => h.simultaneous)).toBe(true);
    expect(r.highRisk.find((h) => h.eventTime !== iso(T0))?.simultaneous ?? false).toBe(false);
  });
});
