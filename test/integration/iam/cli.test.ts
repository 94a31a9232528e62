import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IamAnalysis, IamImportResult, IamIncidentAnalysis, LeastPrivilegeDraft } from '../../../electron/shared/iam';
import { repoRoot } from '../../helpers/core';
import { inProcessCli } from '../../helpers/cli-in-process';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-iam-cli-');
const reference = join(repoRoot, '..', 'shared', 'reference', 'aws-iam');
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`;
const file = (name: string, content: unknown) => {
  const path = join(dir.path, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

/** The shape of the seed's agent role: PowerUserAccess plus rds:*, dynamodb:* and s3:*, no boundary. */
const getRole = {
  Role: {
    Path: '/',
    RoleName: 'ai-agent-prod',
    RoleId: 'AROAEXAMPLEAGENT00001',
    Arn: ROLE,
    CreateDate: '2026-01-10T09:00:00Z',
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] })),
    RoleLastUsed: { LastUsedDate: '2026-12-01T10:05:00Z', Region: 'us-east-1' },
  },
};
const inline = { RoleName: 'ai-agent-prod', PolicyName: 'data-access', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['rds:*', 'dynamodb:*', 's3:*'], Resource: '*' }] } };
const attached = { AttachedPolicies: [{ PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }] };
const powerUser = {
  PolicyVersion: {
    Document: encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
          { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation'], Resource: '*' },
        ],
      }),
    ),
    VersionId: 'v5',
    IsDefaultVersion: true,
    CreateDate: '2023-07-06T22:04:00Z',
  },
};

const event = (n: number, eventSource: string, eventName: string, errorCode?: string) => ({
  eventVersion: '1.11',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEAGENT00001:agent-run-7',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ai-agent-prod/agent-run-7`,
    accountId: ACCOUNT,
    sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEAGENT00001', arn: ROLE, accountId: ACCOUNT, userName: 'ai-agent-prod' } },
  },
  eventTime: `2026-12-01T10:${String(n).padStart(2, '0')}:00Z`,
  eventSource,
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-sdk-js/3.600.0',
  requestParameters: {},
  responseElements: null,
  ...(errorCode ? { errorCode, errorMessage: 'not authorized' } : {}),
  requestID: `req-${n}`,
  eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: ACCOUNT,
});

let paths: Record<string, string>;
let logs: string;

const cli = inProcessCli(dir.path);

beforeAll(() => {
  paths = { role: file('get-role.json', getRole), inline: file('get-role-policy.json', inline), attached: file('list-attached-role-policies.json', attached), version: file('get-policy-version-PowerUserAccess.json', powerUser) };
  logs = file(
    `${ACCOUNT}_CloudTrail_us-east-1_20261201T1000Z_iam.json`,
    {
      Records: [
        event(1, 'rds.amazonaws.com', 'DescribeDBInstances'),
        event(2, 'rds.amazonaws.com', 'DeleteDBInstance'),
        event(3, 'dynamodb.amazonaws.com', 'DeleteTable'),
        event(4, 's3.amazonaws.com', 'ListBuckets'),
        event(5, 'iam.amazonaws.com', 'CreateUser', 'AccessDenied'),
        event(6, 'iam.amazonaws.com', 'AttachRolePolicy', 'AccessDenied'),
      ],
    },
  );
});
afterAll(() => dir.cleanup());

describe('firebreak iam', () => {
  it('analyze --authz --logs --json prints the documented shape, without an incident', async () => {
    const r = await cli(['iam', 'analyze', '--authz', paths.role as string, '--authz', paths.inline as string, '--authz', paths.attached as string, '--authz', paths.version as string, '--logs', logs, '--identity', ROLE, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as IamAnalysis;
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['identity', 'granted', 'used', 'unused', 'denied', 'conditional']));
    expect(a.identity).toBe(ROLE);
    expect(a.granted.all).toBeGreaterThan(15_000);
    expect(a.granted.destructive).toEqual(expect.arrayContaining(['rds:DeleteDBInstance', 'dynamodb:DeleteTable', 's3:DeleteBucket', 'iam:DeleteServiceLinkedRole']));
    expect(a.granted.destructive).not.toContain('iam:DeleteRole');
    expect(a.used).toEqual({ destructive: ['dynamodb:DeleteTable', 'rds:DeleteDBInstance'], all: ['dynamodb:DeleteTable', 'rds:DeleteDBInstance', 'rds:DescribeDBInstances', 's3:ListAllMyBuckets'] });
    expect(a.usedButNotGranted).toEqual([]);
    expect(a.unused).toContain('s3:DeleteBucket');
    expect(a.unused).not.toContain('rds:DeleteDBInstance');
    expect(a.denied.map((d) => `${d.action} ${d.errorCode} ${d.calls}`)).toEqual(['iam:AttachRolePolicy AccessDenied 1', 'iam:CreateUser AccessDenied 1']);
    expect(a.conditional).toEqual([]);
    expect(a.missingPolicies).toEqual([]);
  });

  it('import keeps every file as evidence in order, and analyze reads the incident\'s CloudTrail events', async () => {
    const created = await cli(['incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'IAM could vs did']);
    expect(created.code).toBe(0);
    const id = created.out.trim();
    const imported = await cli(['iam', 'import', id, paths.role as string, paths.inline as string, paths.attached as string, paths.version as string, join(reference, 'cloudmapper', 'iam-get-credential-report.json'), '--json']);
    expect(imported.err).toBe('');
    const result = JSON.parse(imported.out) as IamImportResult;
    expect(result.sources.map((s) => s.kind)).toEqual(['get-role', 'inline-policy', 'list-attached-policies', 'policy-version', 'credential-report']);
    expect(result.identities).toEqual([ROLE]);
    const verify = await cli(['evidence', 'verify', id, '--json']);
    expect(JSON.parse(verify.out).items.map((i: { sha256: string }) => i.sha256)).toEqual(expect.arrayContaining(result.sources.map((s) => s.sha256)));

    expect((await cli(['cloudtrail', 'import', id, logs])).code).toBe(0);
    const analysed = await cli(['iam', 'analyze', id, '--identity', 'ai-agent-prod', '--json']);
    expect(analysed.err).toBe('');
    const r = JSON.parse(analysed.out) as IamIncidentAnalysis;
    expect(r.analyses).toHaveLength(1);
    expect(r.analyses[0]?.used.destructive).toEqual(['dynamodb:DeleteTable', 'rds:DeleteDBInstance']);
    expect(r.analyses[0]?.denied.map((d) => d.action)).toEqual(['iam:AttachRolePolicy', 'iam:CreateUser']);

    const text = await cli(['iam', 'analyze', id, '--identity', ROLE]);
    expect(text.out).toMatch(/destructive actions used: dynamodb:DeleteTable, rds:DeleteDBInstance/);
    expect(text.out).toMatch(/iam:CreateUser {2}AccessDenied x1 {2}2026-12-01T10:05:00Z/);

    const lp = await cli(['iam', 'least-privilege', id, '--identity', ROLE, '--json']);
    expect(lp.err).toBe('');
    const draft = JSON.parse(lp.out) as LeastPrivilegeDraft;
    expect(draft.policy).toEqual({ Version: '2012-10-17', Statement: [{ Sid: 'Observed1', Effect: 'Allow', Action: ['rds:DescribeDBInstances', 's3:ListAllMyBuckets'], Resource: ['*'] }] });
    expect(draft.leftOut).toEqual(['dynamodb:DeleteTable', 'rds:DeleteDBInstance']);
    expect(draft.wildcardResources).toEqual(['rds:DescribeDBInstances', 's3:ListAllMyBuckets']);
    expect(JSON.stringify(draft.boundary)).toContain('"rds:Delete*"');
    expect(draft.commands[0]).toMatch(/^aws iam put-role-policy --role-name ai-agent-prod --policy-name ai-agent-prod-least-privilege --policy-document '\{"Version"/);
    expect(draft.commands[2]).toBe(`aws iam put-role-permissions-boundary --role-name ai-agent-prod --permissions-boundary arn:aws:iam::${ACCOUNT}:policy/ai-agent-prod-firebreak-boundary`);
    expect(draft.evidenceId).toMatch(/^EV-/);

    const ledger = await cli(['audit', 'verify', id]);
    expect(ledger.code).toBe(0);
  });

  it('imports the lab account download and refuses a file it cannot read, recording nothing', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const bad = file('odd.json', { Something: 'else' });
    const refused = await cli(['iam', 'import', id, join(reference, 'cloudsplaining', 'example.json'), bad]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/odd\.json: not an IAM file Firebreak reads/);
    expect(JSON.parse((await cli(['iam', 'sources', id, '--json'])).out)).toEqual([]);
    const ok = await cli(['iam', 'import', id, join(reference, 'cloudsplaining', 'example.json')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/authorization-details \(import\): 41 users, 3 groups, 75 roles, 56 policies/);
    const none = await cli(['iam', 'analyze', id]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/names no agent identity and its IAM snapshot holds 116: give one with --identity ARN/);
  });
});
