import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IamCaptureResult, IamIncidentAnalysis } from '../../../electron/shared/iam';
import { type IamTestServer, startIamServer } from '../../helpers/iam-server';
import { inProcessCli } from '../../helpers/cli-in-process';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-iam-capture-');
const ACCESS_KEY = 'AKIAFBIAMEXAMPLE0001';
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ai-agent-prod`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/agent-boundary`;
let server: IamTestServer;
const saved = { ...process.env };

const cli = inProcessCli(dir.path, { FIREBREAK_IAM_POLL_MS: '10' });

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
  delete process.env.AWS_PROFILE;
  server = await startIamServer({
    accessKeys: [ACCESS_KEY],
    pageSize: 2,
    throttleOnce: ['ListAttachedRolePolicies'],
    pollsUntilReady: 2,
    roles: {
      'ai-agent-prod': {
        role: {
          Path: '/',
          RoleName: 'ai-agent-prod',
          RoleId: 'AROAEXAMPLEAGENT00001',
          Arn: ROLE,
          CreateDate: '2026-01-10T09:00:00Z',
          AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }),
          PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: BOUNDARY },
        },
        inline: {
          'data-access': doc({ Effect: 'Allow', Action: ['rds:*', 'dynamodb:*', 's3:*'], Resource: '*' }),
          'logs-write': doc({ Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogStream'], Resource: '*' }),
          'tags': doc({ Effect: 'Allow', Action: 'tag:GetResources', Resource: '*' }),
        },
        attached: [
          { PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
          { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          { PolicyName: 'agent-extra', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/agent-extra` },
        ],
      },
    },
    policies: {
      'arn:aws:iam::aws:policy/PowerUserAccess': { name: 'PowerUserAccess', defaultVersion: 'v5', document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }) },
      'arn:aws:iam::aws:policy/ReadOnlyAccess': { name: 'ReadOnlyAccess', defaultVersion: 'v100', document: doc({ Effect: 'Allow', Action: ['s3:Get*', 'rds:Describe*'], Resource: '*' }) },
      [`arn:aws:iam::${ACCOUNT}:policy/agent-extra`]: { name: 'agent-extra', defaultVersion: 'v2', document: doc({ Effect: 'Deny', Action: 'rds:DeleteDBCluster', Resource: '*' }) },
      [BOUNDARY]: { name: 'agent-boundary', defaultVersion: 'v1', document: doc({ Effect: 'Allow', Action: ['rds:*', 's3:*', 'logs:*'], Resource: '*' }) },
    },
    credentialReportCsv:
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n' +
      `agent-bot,arn:aws:iam::${ACCOUNT}:user/agent-bot,2025-02-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-02-01T00:00:00+00:00,2026-12-01T10:00:00+00:00,us-east-1,rds,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`,
    lastAccessed: [
      { ServiceName: 'Amazon RDS', ServiceNamespace: 'rds', LastAuthenticated: '2026-12-01T10:02:00Z' },
      { ServiceName: 'Amazon EC2', ServiceNamespace: 'ec2' },
    ],
  });
});
afterAll(async () => {
  await server.close();
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EC2_METADATA_DISABLED']) if (saved[k] === undefined) delete process.env[k];
  Object.assign(process.env, saved);
  dir.cleanup();
});

describe('firebreak iam capture (the real IAM SDK over HTTP)', () => {
  it('reads the role, pages with Marker, rides out a throttled call, waits for the credential report, and keeps every response in order', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const r = await cli(['iam', 'capture', id, '--role-name', 'ai-agent-prod', '--endpoint', server.url, '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as IamCaptureResult;
    expect(result.skipped).toEqual([]);
    expect(result.identities).toEqual([ROLE]);
    expect(result.sources.every((s) => s.origin === 'capture')).toBe(true);
    expect(result.sources.map((s) => s.name.replace(/^iam-capture-\d{3}-/, ''))).toEqual([
      'GetRole-ai-agent-prod.json',
      'ListRolePolicies-ai-agent-prod.json',
      'ListRolePolicies-ai-agent-prod-page2.json',
      'GetRolePolicy-ai-agent-prod-data-access.json',
      'GetRolePolicy-ai-agent-prod-logs-write.json',
      'GetRolePolicy-ai-agent-prod-tags.json',
      'ListAttachedRolePolicies-ai-agent-prod.json',
      'ListAttachedRolePolicies-ai-agent-prod-page2.json',
      'GetPolicy-PowerUserAccess.json',
      'GetPolicyVersion-PowerUserAccess-v5.json',
      'GetPolicy-ReadOnlyAccess.json',
      'GetPolicyVersion-ReadOnlyAccess-v100.json',
      'GetPolicy-agent-extra.json',
      'GetPolicyVersion-agent-extra-v2.json',
      'GetPolicy-agent-boundary.json',
      'GetPolicyVersion-agent-boundary-v1.json',
      'GetCredentialReport.json',
      'GetServiceLastAccessedDetails.json',
    ]);
    const markers = server.requests.filter((q) => q.action === 'ListRolePolicies').map((q) => Boolean(q.params.Marker));
    expect(markers).toEqual([false, true]);
    expect(server.requests.filter((q) => q.action === 'ListAttachedRolePolicies').map((q) => q.status)).toEqual([400, 200, 200]);
    expect(server.requests.filter((q) => q.action === 'GenerateCredentialReport').map((q) => q.status)).toEqual([200, 200, 200]);
    expect(server.requests.every((q) => q.accessKeyId === ACCESS_KEY)).toBe(true);

    const analysed = JSON.parse((await cli(['iam', 'analyze', id, '--identity', ROLE, '--json'])).out) as IamIncidentAnalysis;
    const a = analysed.analyses[0];
    expect(a?.boundary).toBe(BOUNDARY);
    expect(a?.missingPolicies).toEqual([]);
    expect(a?.granted.destructive).toContain('rds:DeleteDBInstance');
    expect(a?.granted.destructive).not.toContain('rds:DeleteDBCluster');
    expect(a?.granted.destructive).not.toContain('dynamodb:DeleteTable');
    expect((await cli(['audit', 'verify', id])).code).toBe(0);
  });

  it('takes the agent role as --role too, as the playbooks write it; exactly one of a role or a user', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const r = await cli(['iam', 'capture', id, '--role', 'ai-agent-prod', '--endpoint', server.url, '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as IamCaptureResult).identities).toEqual([ROLE]);
    const neither = await cli(['iam', 'capture', id, '--endpoint', server.url]);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('needs either --role NAME (or --role-name NAME) or --user-name NAME');
    const both = await cli(['iam', 'capture', id, '--role', 'ai-agent-prod', '--user-name', 'agent', '--endpoint', server.url]);
    expect(both.code).toBe(2);
  });

  it('says what IAM refused, and records nothing when the role does not exist', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const missing = await cli(['iam', 'capture', id, '--role-name', 'no-such-role', '--endpoint', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/GetRole-no-such-role: NoSuchEntity(Exception)?: The role with name no-such-role cannot be found/);
    expect(JSON.parse((await cli(['iam', 'sources', id, '--json'])).out)).toEqual([]);
    process.env.AWS_ACCESS_KEY_ID = 'AKIAWRONGKEYEXAMPLE1';
    try {
      const refused = await cli(['iam', 'capture', id, '--role-name', 'ai-agent-prod', '--endpoint', server.url]);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/InvalidClientTokenId/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
    }
  });
});
