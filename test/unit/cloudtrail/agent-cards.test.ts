import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-clouds2-cards-');
const ROLE_ARN = 'arn:aws:iam::111122223333:role/ops-agent';
const sessionArn = (s: string) => `arn:aws:sts::111122223333:assumed-role/ops-agent/${s}`;

/** Calls by two sessions of one role, as CloudTrail writes assumed-role identities. */
const call = (i: number, session: string) => ({
  eventVersion: '1.10',
  eventID: `ev-${session}-${i}`,
  eventName: i % 5 === 0 ? 'DeleteBucket' : 'ListBuckets',
  eventSource: 's3.amazonaws.com',
  eventTime: new Date(Date.parse('2026-03-10T09:00:00Z') + i * 1000).toISOString().replace('.000Z', 'Z'),
  awsRegion: 'eu-west-1',
  readOnly: i % 5 !== 0,
  sourceIPAddress: '203.0.113.9',
  userAgent: 'Boto3/1.34.0',
  requestParameters: { bucketName: `bucket-${i}` },
  userIdentity: {
    type: 'AssumedRole',
    arn: sessionArn(session),
    principalId: `AROAEXAMPLE:${session}`,
    accountId: '111122223333',
    sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE_ARN, userName: 'ops-agent', accountId: '111122223333', principalId: 'AROAEXAMPLE' } },
  },
});

const files = join(dir.path, 'logs');
beforeAll(() => {
  mkdirSync(files);
  writeFileSync(join(files, 'trail.json'), JSON.stringify({ Records: [...Array.from({ length: 20 }, (_, i) => call(i, 'run-1')), ...Array.from({ length: 20 }, (_, i) => call(i + 30, 'run-2'))] }));
});
afterAll(() => dir.cleanup());

describe('one blast-radius card per agent actor', () => {
  it('folds the role ARN, its name and a session name into one card, whatever order they are given in', async () => {
    for (const agents of [
      ['run-1', 'ops-agent', ROLE_ARN, 'nobody-here'],
      [ROLE_ARN, 'nobody-here', 'run-1', 'ops-agent'],
      [sessionArn('run-2'), 'ops-agent'],
    ]) {
      const r = await scanExports([files], { resourcesDir: repoRoot, agents, workers: 0 });
      expect(r.agents).toHaveLength(1);
      const card = r.agents[0];
      expect(card?.calls).toBe(40);
      expect(card?.principals).toEqual([sessionArn('run-1'), sessionArn('run-2')]);
      expect([card?.agentIdentity, ...(card?.aliases ?? [])].sort()).toEqual(agents.filter((a) => a !== 'nobody-here').sort());
      expect(r.unmatchedAgents).toEqual(agents.includes('nobody-here') ? ['nobody-here'] : []);
    }
  });
});
