import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentIdentities } from '../../../electron/shared/cloudtrail';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { GapAnalysis } from '../../../electron/shared/gap';
import type { IamIncidentAnalysis, LeastPrivilegeDraft, Revocation } from '../../../electron/shared/iam';
import type { IncidentReportModel } from '../../../electron/shared/reports';
import { AGENT_ACCOUNT, AGENT_ROLE_ARN, agentDynamoEvent, plusSeconds } from '../../helpers/agent-events';
import { inProcessCli } from '../../helpers/cli-in-process';
import { type IamTestServer, startIamServer } from '../../helpers/iam-server';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-iam2-report-');
const ACCESS_KEY = 'AKIAFBIAMEXAMPLE0003';
const ACCOUNT = AGENT_ACCOUNT;
const ROLE = AGENT_ROLE_ARN;
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
let server: IamTestServer;
const saved = { ...process.env };
const cli = inProcessCli(dir.path, { FIREBREAK_IAM_POLL_MS: '10' });

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
  server = await startIamServer({
    accessKeys: [ACCESS_KEY],
    roles: {
      'ai-agent-prod': {
        role: { Path: '/', RoleName: 'ai-agent-prod', RoleId: 'AROAEXAMPLEAGENT00001', Arn: ROLE, CreateDate: '2026-01-10T09:00:00Z', AssumeRolePolicyDocument: doc() },
        inline: {
          'data-access': doc({ Effect: 'Allow', Action: ['dynamodb:*', 's3:*'], Resource: '*' }),
          'tagged-only': doc({ Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': 'agent' } } }),
        },
        attached: [],
      },
    },
    policies: {},
    credentialReportCsv: 'user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\n',
    lastAccessed: [
      { ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: '2026-11-20T08:00:00Z' },
      { ServiceName: 'Amazon DynamoDB', ServiceNamespace: 'dynamodb', LastAuthenticated: '2026-12-01T10:03:00Z' },
      { ServiceName: 'Amazon EC2', ServiceNamespace: 'ec2' },
    ],
  });
});
afterAll(async () => {
  await server.close();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  dir.cleanup();
});

const event = (n: number, at: string, eventName: string, errorCode?: string) => agentDynamoEvent(n, at, eventName, errorCode, '22222222');
const plus = plusSeconds;
const logsFile = (name: string, records: unknown[]) => {
  const path = join(dir.path, `${ACCOUNT}_CloudTrail_us-east-1_${name}.json`);
  writeFileSync(path, JSON.stringify({ Records: records }));
  return path;
};

describe("the agent's identity in the incident report", () => {
  it('sets the agent identities, links the least-privilege draft to Eradication, and reports could vs did, revocation and draft', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const none = await cli(['iam', 'agents', id]);
    expect(none.out).toMatch(new RegExp(`${id} names no agent identity: set one with firebreak iam agents ${id} ARN`));
    const set = await cli(['iam', 'agents', id, ROLE, '--json']);
    expect(set.err).toBe('');
    expect((JSON.parse(set.out) as AgentIdentities).set).toEqual([ROLE]);
    expect((await cli(['iam', 'agents', id])).out).toContain(`  ${ROLE}  (set)`);

    expect((await cli(['iam', 'capture', id, '--role-name', 'ai-agent-prod', '--endpoint', server.url])).code).toBe(0);
    const before = logsFile('before', [event(1, '2026-12-01T10:00:00Z', 'DescribeTable'), event(2, '2026-12-01T10:01:00Z', 'PutItem'), event(3, '2026-12-01T10:02:00Z', 'DeleteTable'), event(4, '2026-12-01T10:03:00Z', 'CreateBackup', 'AccessDenied')]);
    expect((await cli(['cloudtrail', 'import', id, before])).code).toBe(0);

    // Service last-accessed data beside "unused", in the JSON and the text.
    const analysed = JSON.parse((await cli(['iam', 'analyze', id, '--json'])).out) as IamIncidentAnalysis;
    expect(analysed.analyses[0]?.unusedLastAccessed).toEqual([
      { service: 'dynamodb', lastAuthenticated: '2026-12-01T10:03:00.000Z' },
      { service: 'ec2', lastAuthenticated: null },
      { service: 's3', lastAuthenticated: '2026-11-20T08:00:00.000Z' },
    ]);
    expect((await cli(['iam', 'analyze', id])).out).toMatch(/granted but never used: \d+ actions; their services last accessed \(IAM\): dynamodb 2026-12-01T10:03:00.000Z, ec2 not used in IAM’s tracking period, s3 2026-11-20T08:00:00.000Z/);

    // The draft is evidence for the Eradication step that takes away excess privilege (the AC-6 step).
    const lp = await cli(['iam', 'least-privilege', id, '--identity', ROLE, '--json']);
    expect(lp.err).toBe('');
    const draft = JSON.parse(lp.out) as LeastPrivilegeDraft;
    expect(draft.linkedStep).toEqual({ id: 'least-privilege-by-default', title: 'Make read-only the default for every agent identity' });
    const items = JSON.parse((await cli(['evidence', 'list', id, '--json'])).out) as EvidenceItem[];
    expect(items.find((i) => i.id === draft.evidenceId)?.linkedSteps).toEqual(['least-privilege-by-default']);
    expect((await cli(['iam', 'least-privilege', id, '--identity', ROLE])).out).toMatch(/\(kept as EV-\d+, evidence for the Eradication step "Make read-only the default for every agent identity" \(least-privilege-by-default\)\)/);

    const done = await cli(['iam', 'revoke', id, '--role-name', 'ai-agent-prod', '--yes', '--endpoint', server.url, '--json']);
    expect(done.err).toBe('');
    const r = JSON.parse(done.out) as Revocation;
    const after = logsFile('after', [event(5, plus(r.revokedAt, 4), 'PutItem'), event(6, plus(r.revokedAt, 9), 'DeleteTable', 'AccessDenied')]);
    expect((await cli(['cloudtrail', 'import', id, after])).code).toBe(0);

    const out = join(dir.path, `${id}.json`);
    expect((await cli(['report', id, '--kind', 'incident', '--format', 'json', '--out', out, '--no-save'])).code).toBe(0);
    const m = JSON.parse(readFileSync(out, 'utf8')) as IncidentReportModel;
    const iam = m.iam;
    expect(iam?.problem).toBeNull();
    expect(iam?.identities).toHaveLength(1);
    const agent = iam?.identities[0];
    expect(agent).toMatchObject({
      identity: ROLE,
      used: { all: 3, destructive: ['dynamodb:DeleteTable'] },
      denied: [{ action: 'dynamodb:CreateBackup', errorCode: 'AccessDenied', calls: 1 }, { action: 'dynamodb:DeleteTable', errorCode: 'AccessDenied', calls: 1 }],
      conditional: [{ action: 'ec2:TerminateInstances', condition: expect.stringMatching(/^conditional: .*aws:ResourceTag\/owner/) }],
      leastPrivilegeEvidence: expect.stringMatching(/^EV-/),
      calls: 6,
    });
    // The same draft twice is one evidence item (same bytes), and the report names it.
    expect(iam?.drafts.map((d) => `${d.identity} ${d.evidenceId}`)).toEqual([`${ROLE} ${draft.evidenceId}`]);
    expect(agent?.leastPrivilegeEvidence).toBe(draft.evidenceId);
    expect(agent?.granted.destructive).toEqual(expect.arrayContaining(['dynamodb:DeleteTable', 's3:DeleteBucket', 'ec2:TerminateInstances']));
    expect(agent?.unused.count).toBe((agent?.granted.all ?? 0) - 3);
    expect(iam?.revocations).toEqual([expect.objectContaining({ seq: 1, identity: ROLE, calls: 2, secondsToHalt: 9, firstDeniedAt: plus(r.revokedAt, 9), succeededAfter: 1, secondsFromAwareness: r.secondsFromAwareness })]);

    const md = join(dir.path, `${id}.md`);
    expect((await cli(['report', id, '--kind', 'incident', '--format', 'md', '--out', md, '--no-save'])).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain("## The agent's identity: what it could do and what it did");
    expect(text).toMatch(/\| Destructive actions granted \| \*\*[\d,]+ in \d+ services; in the services it called \(dynamodb\): [^|]*dynamodb:DeleteTable/);
    expect(text).toMatch(/\| Destructive actions used \| \*\*dynamodb:DeleteTable\*\* \|/);
    expect(text).toMatch(/\| Denied calls \| \*\*dynamodb:CreateBackup AccessDenied ×1/);
    expect(text).toMatch(/services last accessed according to IAM: dynamodb 2026-12-01/);
    expect(text).toMatch(/\| 1 \| arn:aws:iam::111122223333:role\/ai-agent-prod \(role, 2 IAM calls\) \| .* \| 9 s \(first AccessDenied /);
    expect(text).toContain(`| Least-privilege draft | ${agent?.leastPrivilegeEvidence} |`);

    const html = join(dir.path, `${id}.html`);
    expect((await cli(['report', id, '--kind', 'incident', '--format', 'html', '--out', html, '--no-save'])).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section id="iam">');
    expect(page).toMatch(/<th>Destructive actions used<\/th><td class="bad">dynamodb:DeleteTable<\/td>/);
    expect(page).toMatch(/9 s \(first AccessDenied /);

    // AC-6 and AC-2 facts are offered, never filled in: the assessment changes only when the assessor accepts.
    const offered = await cli(['iam', 'gap-facts', id]);
    expect(offered.out).toMatch(/^AC-6 offered \(accept with --accept AC-6, or write your own with firebreak gap set /m);
    expect(offered.out).toContain(`  - ${ROLE} was granted `);
    expect(offered.out).toMatch(/^AC-2 offered[\s\S]*revoked [^\n]* after awareness, halted 9 s later \(first AccessDenied\)/m);
    const gapOf = async (label: string) => (JSON.parse((await cli(['gap', 'show', id, '--json'])).out) as GapAnalysis).controls.find((c) => c.label === label);
    expect(await gapOf('AC-6')).toMatchObject({ state: null, gap: null, evidence: [] });
    const accepted = await cli(['iam', 'gap-facts', id, '--accept', 'ac-6', '--json']);
    expect(accepted.err).toBe('');
    expect((JSON.parse(accepted.out) as { accepted: string[] }).accepted).toEqual(['AC-6']);
    const ac6 = await gapOf('AC-6');
    expect(ac6?.state).toBeNull();
    expect(ac6?.gap).toMatch(new RegExp(`^The agent identity held standing privileges far beyond its task\\. ${ROLE.replace(/[/.]/g, '\\$&')} was granted [\\d,]+ actions, `));
    expect(ac6?.gap).toContain(`A least-privilege policy and boundary drafted from its calls: ${draft.evidenceId}.`);
    expect(ac6?.evidence.map((e) => e.id)).toEqual(expect.arrayContaining([...(iam?.sources ?? []), draft.evidenceId]));
    expect(await gapOf('AC-2')).toMatchObject({ gap: null });
    expect((await cli(['audit', 'verify', id])).code).toBe(0);
  });

  it('leaves the section out when the incident has no IAM facts', async () => {
    const id = (await cli(['incident', 'new', '--playbook', 'agent-destructive-action'])).out.trim();
    const out = join(dir.path, `${id}-empty.json`);
    expect((await cli(['report', id, '--kind', 'incident', '--format', 'json', '--out', out, '--no-save'])).code).toBe(0);
    expect('iam' in (JSON.parse(readFileSync(out, 'utf8')) as IncidentReportModel)).toBe(false);
  });
});
