import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveFindings } from '../../../electron/core/cloudtrail/analyse/findings';
import { scanExports } from '../../../electron/core/cloudtrail/analyse/scan';
import { readExportFile } from '../../../electron/core/cloudtrail/import/export-reader';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-plurals-');
afterAll(() => dir.cleanup());

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/db-agent`;
const agent = {
  type: 'AssumedRole',
  principalId: 'AROAAGENT:run-1',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/db-agent/run-1`,
  accountId: ACCOUNT,
  sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: ACCOUNT, userName: 'db-agent' } },
};
const call = (i: number, second: number) => ({
  eventVersion: '1.11',
  userIdentity: agent,
  eventTime: `2026-03-10T00:00:${String(second).padStart(2, '0')}Z`,
  eventSource: 'dynamodb.amazonaws.com',
  eventName: 'PutItem',
  awsRegion: 'us-east-1',
  readOnly: false,
  userAgent: 'Boto3/1.34.69 md/Botocore#1.34.69',
  eventID: `id-${i}`,
});
const write = (name: string, records: unknown[]) => {
  const p = join(dir.path, name);
  writeFileSync(p, JSON.stringify({ Records: records }));
  return p;
};

/** Counts of one read as English in the texts a responder reads: "1 burst", "1 record skipped". */
describe('CloudTrail texts count in English', () => {
  it('says "1 burst" for an agent that worked in one machine-speed burst', async () => {
    const path = write('one-burst.json', Array.from({ length: 20 }, (_, i) => call(i, Math.floor(i / 4))));
    const report = await scanExports([path], { resourcesDir: repoRoot, agents: [ROLE], workers: 0 });
    const cadence = deriveFindings(report).find((f) => f.kind === 'machine-cadence');
    expect(cadence?.title).toMatch(/: 20 of 20 calls in 1 burst$/);
  });

  it('says "1 record skipped" for one record that is not a CloudTrail record', async () => {
    const path = write('one-bad.json', [call(1, 1), { hello: 'world' }]);
    const result = await readExportFile(path, () => undefined, {});
    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/^1 record skipped: /);
  });
});
