import { describe, expect, it } from 'vitest';
import { movementWindows } from '../../../electron/core/cloudtrail/analyse/blast-radius';
import { BURST_MIN_CALLS, Meta, cadenceOf, pack } from '../../../electron/core/cloudtrail/analyse/cadence';
import { agentMatcher, splitIdentities } from '../../../electron/core/cloudtrail/import/agents';
import { identityOf, principalOf, userAgentKind } from '../../../electron/core/cloudtrail/import/normalize';

const assumed = (role: string, session: string, extra: Record<string, unknown> = {}) =>
  identityOf({
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAX:${session}`,
      arn: `arn:aws:sts::111122223333:assumed-role/${role}/${session}`,
      accountId: '111122223333',
      accessKeyId: 'ASIAKEY0000000000001',
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::111122223333:role/${role}`, userName: role }, ...extra },
    },
  });

describe('agent identities', () => {
  const id = assumed('ai-agent-prod', 'run-42', { sourceIdentity: 'agent@example.com' });

  it('match by role ARN, assumed-role ARN, session name, role name, access key id and source identity', () => {
    const cases: Array<[string, string]> = [
      ['arn:aws:iam::111122223333:role/ai-agent-prod', 'sessionIssuer'],
      ['arn:aws:iam::111122223333:role/service/ai-agent-prod', 'sessionIssuer'],
      ['arn:aws:sts::111122223333:assumed-role/ai-agent-prod/run-42', 'arn'],
      ['arn:aws:sts::111122223333:assumed-role/ai-agent-prod', 'sessionIssuer'],
      ['AI-Agent-Prod', 'sessionIssuer'],
      ['run-42', 'sessionName'],
      ['ASIAKEY0000000000001', 'accessKeyId'],
      ['agent@example.com', 'sourceIdentity'],
    ];
    for (const [spec, field] of cases) expect(agentMatcher([spec]).match(id), spec).toMatchObject({ identity: spec, field, index: 0 });
  });

  it('do not match other principals', () => {
    const m = agentMatcher(['arn:aws:iam::111122223333:role/ai-agent-prod', 'run-42', 'ASIAOTHER00000000001']);
    expect(m.match(assumed('ai-agent-prod-2', 'run-43'))).toBeNull();
    expect(m.match(assumed('terraform', 'x'))).toBeNull();
    const user = identityOf({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/agent-bot', userName: 'agent-bot' } });
    expect(agentMatcher(['agent-bot']).match(user)).toMatchObject({ field: 'userName' });
    expect(agentMatcher(['arn:aws:iam::1:user/agent-bot']).match(user)).toMatchObject({ field: 'arn' });
  });

  it('split from free text', () => {
    expect(splitIdentities(' a, b\n c;d ')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('principals and user agents', () => {
  it('name each caller by ARN or the best stable name', () => {
    expect(principalOf(assumed('r', 's'), 'x').key).toBe('arn:aws:sts::111122223333:assumed-role/r/s');
    expect(principalOf(identityOf({ userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' } }), 'rds.amazonaws.com')).toEqual({
      key: 'AWSService:backup.amazonaws.com',
      label: 'backup.amazonaws.com',
    });
    expect(principalOf(identityOf({ userIdentity: { type: 'Root', accountId: '1' } }), 'x').key).toBe('arn:aws:iam::1:root');
  });

  it('tell SDKs and tools from the console and AWS services', () => {
    expect(userAgentKind('Boto3/1.34.69 md/Botocore#1.34.69')).toBe('sdk');
    expect(userAgentKind('aws-cli/2.13.0 Python/3.11.4')).toBe('sdk');
    expect(userAgentKind('APN/1.0 HashiCorp/1.0 Terraform/1.1.2')).toBe('sdk');
    expect(userAgentKind('console.amazonaws.com')).toBe('console');
    expect(userAgentKind('Mozilla/5.0 (X11; Linux x86_64)')).toBe('console');
    expect(userAgentKind('[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]')).toBe('console');
    expect(userAgentKind('cloudtrail.amazonaws.com')).toBe('aws-service');
    expect(userAgentKind(null)).toBe('none');
  });
});

const T0 = Date.parse('2026-03-10T00:00:00Z') / 1000;
const calls = (specs: Array<[number, number, number?, number?]>) =>
  Float64Array.from(specs.map(([t, meta, service = 0, region = 1]) => pack(T0 + t, service, region, meta))).sort();

describe('cadence', () => {
  it('marks machine-speed bursts of writes and calls the principal autonomous', () => {
    const burst = Array.from({ length: 20 }, (_, i): [number, number] => [Math.floor(i / 4), Meta.Write]);
    const c = cadenceOf(calls(burst));
    expect(c.cadence.verdict).toBe('machine');
    expect(c.cadence.machineBursts).toBe(1);
    expect(c.cadence.bursts[0]).toMatchObject({ calls: 20, writes: 20, machine: true, console: false, rate: 4 });
    expect(c.machineRanges).toEqual([[T0, T0 + 4]]);
    expect(c.cadence.subSecondShare).toBe(1);
    expect(c.cadence.reasons.join(' ')).toMatch(/20 write calls made at machine speed/);
  });

  it('does not take a console page load for automation', () => {
    const pageLoad = Array.from({ length: 12 }, (): [number, number] => [0, Meta.Console]);
    const c = cadenceOf(calls([...pageLoad, [300, Meta.Console | Meta.Write], [900, Meta.Console]]));
    expect(c.cadence.bursts[0]).toMatchObject({ console: true, machine: false });
    expect(c.cadence.verdict).toBe('human-paced');
  });

  it('calls a slow principal human-paced and a short one insufficient', () => {
    const slow = cadenceOf(calls(Array.from({ length: 10 }, (_, i): [number, number] => [i * 45, Meta.Write])));
    expect(slow.cadence).toMatchObject({ verdict: 'human-paced', medianIntervalSeconds: 45, machineBursts: 0 });
    expect(cadenceOf(calls([[0, 0]])).cadence.verdict).toBe('insufficient');
    expect(BURST_MIN_CALLS).toBe(5);
    const mixed = cadenceOf(calls([...Array.from({ length: 5 }, (): [number, number] => [0, Meta.Write]), ...Array.from({ length: 10 }, (_, i): [number, number] => [60 + i * 60, 0])]));
    expect(mixed.cadence.verdict).toBe('mixed');
  });

  it('finds movement across services and regions within minutes', () => {
    const c = calls([
      [0, 0, 0, 1],
      [30, 0, 1, 1],
      [60, 0, 2, 2],
      [4000, 0, 0, 1],
    ]);
    const w = movementWindows(c, ['rds', 's3', 'dynamodb'], ['(none)', 'us-east-1', 'eu-west-1']);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ calls: 3, services: ['dynamodb', 'rds', 's3'], regions: ['eu-west-1', 'us-east-1'] });
  });
});
