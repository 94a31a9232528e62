import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Revocation, RevokePlan } from '../../../electron/shared/iam';
import { type IamTestServer, startIamServer } from '../../helpers/iam-server';
import { AGENT_ACCOUNT, AGENT_ROLE_ARN, agentDynamoEvent, plusSeconds } from '../../helpers/agent-events';
import { inProcessCli } from '../../helpers/cli-in-process';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-iam-revoke-');
const ACCESS_KEY = 'AKIAFBIAMEXAMPLE0002';
const ACCOUNT = AGENT_ACCOUNT;
const ROLE = AGENT_ROLE_ARN;
let server: IamTestServer;
const saved = { ...process.env };
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const inline: Record<string, unknown> = { 'data-access': doc({ Effect: 'Allow', Action: ['rds:*', 'dynamodb:*', 's3:*'], Resource: '*' }) };
const keys = [
  { AccessKeyId: 'AKIAAGENTBOTKEY00001', Status: 'Active', CreateDate: '2025-02-01T00:00:00Z' },
  { AccessKeyId: 'AKIAAGENTBOTKEY00002', Status: 'Inactive', CreateDate: '2024-02-01T00:00:00Z' },
];

const cli = inProcessCli(dir.path, { FIREBREAK_IAM_POLL_MS: '10' });

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
  server = await startIamServer({
    accessKeys: [ACCESS_KEY],
    roles: { 'ai-agent-prod': { role: { Path: '/', RoleName: 'ai-agent-prod', RoleId: 'AROAEXAMPLEAGENT00001', Arn: ROLE, CreateDate: '2026-01-10T09:00:00Z', AssumeRolePolicyDocument: doc() }, inline, attached: [] } },
    users: { 'agent-bot': { user: { UserName: 'agent-bot', UserId: 'AIDAAGENTBOT00000001', Arn: `arn:aws:iam::${ACCOUNT}:user/agent-bot`, Path: '/', CreateDate: '2025-02-01T00:00:00Z' }, inline: {}, keys } },
    policies: {},
    credentialReportCsv: 'user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\nagent-bot,arn:aws:iam::111122223333:user/agent-bot,2025-02-01T00:00:00+00:00,false,false,true,2025-02-01T00:00:00+00:00,2026-12-01T10:00:00+00:00\n',
    lastAccessed: [],
    deny: ['GenerateServiceLastAccessedDetails'],
  });
});
afterAll(async () => {
  await server.close();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  dir.cleanup();
});

const event = (n: number, at: string, eventName: string, errorCode?: string) => agentDynamoEvent(n, at, eventName, errorCode);
const plus = plusSeconds;

describe('firebreak iam revoke', () => {
  it('refuses before a capture, shows the exact calls in a dry run, revokes on --yes, measures the time to halt, and undoes in one step', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const before = await cli(['iam', 'revoke', id, '--role-name', 'ai-agent-prod', '--yes', '--endpoint', server.url]);
    expect(before.code).toBe(1);
    expect(before.err).toMatch(/No capture of role ai-agent-prod exists/);
    expect(server.requests.filter((q) => q.action.startsWith('Put'))).toEqual([]);

    const captured = await cli(['iam', 'capture', id, '--role-name', 'ai-agent-prod', '--endpoint', server.url]);
    expect(captured.code, captured.err).toBe(0);
    const dry = await cli(['iam', 'revoke', id, '--role-name', 'ai-agent-prod', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.out) as RevokePlan;
    expect(plan.refusal).toBeNull();
    expect(plan.calls.map((c) => `${c.api} ${c.params.PolicyName}`)).toEqual([`PutRolePolicy FirebreakDenyAll-${id}`, 'PutRolePolicy AWSRevokeOlderSessions']);
    expect(plan.undo.map((c) => `${c.api} ${c.params.PolicyName}`)).toEqual([`DeleteRolePolicy FirebreakDenyAll-${id}`, 'DeleteRolePolicy AWSRevokeOlderSessions']);
    const text = await cli(['iam', 'revoke', id, '--role-name', 'ai-agent-prod']);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/aws iam put-role-policy --role-name ai-agent-prod --policy-name AWSRevokeOlderSessions --policy-document '\{"Version":"2012-10-17","Statement":\[\{"Effect":"Deny","Action":\["\*"\],"Resource":\["\*"\],"Condition":\{"DateLessThan":\{"aws:TokenIssueTime":"/);
    expect(text.err).toMatch(/nothing was sent: run again with --yes/);
    expect(server.requests.filter((q) => q.action === 'PutRolePolicy')).toEqual([]);

    const done = await cli(['iam', 'revoke', id, '--role-name', 'ai-agent-prod', '--yes', '--endpoint', server.url, '--json']);
    expect(done.err).toBe('');
    const r = JSON.parse(done.out) as Revocation;
    expect(r).toMatchObject({ seq: 1, identity: ROLE, firstDeniedAt: null, secondsToHalt: null, undoneAt: null });
    expect(r.secondsFromAwareness).toBe(Math.round((Date.parse(r.revokedAt) - Date.parse(r.awarenessAt)) / 1000) || 0);
    expect(Object.keys(inline).sort()).toEqual(['AWSRevokeOlderSessions', `FirebreakDenyAll-${id}`, 'data-access']);
    expect(inline.AWSRevokeOlderSessions).toEqual(doc({ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': r.revokedAt } } }));

    const logs = join(dir.path, `${ACCOUNT}_CloudTrail_us-east-1_after.json`);
    writeFileSync(logs, JSON.stringify({ Records: [event(1, plus(r.revokedAt, -30), 'DeleteTable'), event(2, plus(r.revokedAt, 5), 'PutItem'), event(3, plus(r.revokedAt, 20), 'DeleteTable', 'AccessDenied'), event(4, plus(r.revokedAt, 40), 'DeleteTable', 'AccessDenied')] }));
    expect((await cli(['cloudtrail', 'import', id, logs])).code).toBe(0);
    const listed = JSON.parse((await cli(['iam', 'revocations', id, '--json'])).out) as Revocation[];
    expect(listed[0]).toMatchObject({ firstDeniedAt: plus(r.revokedAt, 20), secondsToHalt: 20, succeededAfter: 1 });
    expect((await cli(['iam', 'revocations', id])).out).toMatch(/time to halt: 20 s \(first AccessDenied/);

    const undone = await cli(['iam', 'undo', id, '1', '--endpoint', server.url, '--json']);
    expect(undone.err).toBe('');
    expect(Object.keys(inline)).toEqual(['data-access']);
    expect((await cli(['iam', 'undo', id, '1', '--endpoint', server.url])).err).toMatch(/Revocation 1 was already undone/);
    expect((await cli(['audit', 'verify', id])).code).toBe(0);
  });

  it('for a user: deactivates its active keys only, and an override without a capture is recorded with its reason', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    expect((await cli(['iam', 'capture', id, '--user-name', 'agent-bot', '--endpoint', server.url])).code).toBe(0);
    const done = await cli(['iam', 'revoke', id, '--user-name', 'agent-bot', '--yes', '--endpoint', server.url, '--json']);
    expect(done.err).toBe('');
    const r = JSON.parse(done.out) as Revocation;
    expect(r.calls.map((c) => `${c.api} ${c.params.AccessKeyId ?? c.params.PolicyName}`)).toEqual([`PutUserPolicy FirebreakDenyAll-${id}`, 'UpdateAccessKey AKIAAGENTBOTKEY00001']);
    expect(keys.map((k) => k.Status)).toEqual(['Inactive', 'Inactive']);
    expect((await cli(['iam', 'undo', id, '1', '--endpoint', server.url])).code).toBe(0);
    expect(keys.map((k) => k.Status)).toEqual(['Active', 'Inactive']);

    const other = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const overridden = await cli(['iam', 'revoke', other, '--role-name', 'ai-agent-prod', '--yes', '--override', 'agent still deleting tables; capture after', '--endpoint', server.url, '--json']);
    expect(overridden.err).toBe('');
    expect((JSON.parse(overridden.out) as Revocation).override).toBe('agent still deleting tables; capture after');
    expect((await cli(['iam', 'undo', other, '1', '--endpoint', server.url])).code).toBe(0);
  });
});
