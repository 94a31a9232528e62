import { beforeAll, describe, expect, it } from 'vitest';
import { couldVersusDid } from '../../../electron/core/iam/analyse/could-vs-did';
import { type ActionCatalogue, actionCatalogue } from '../../../electron/core/iam/evaluate/catalogue';
import { effectivePermissions } from '../../../electron/core/iam/evaluate/effective';
import { statementsOf } from '../../../electron/core/iam/evaluate/statements';
import { readSource } from '../../../electron/core/iam/sources/read';
import { emptySnapshot } from '../../../electron/core/iam/sources/snapshot';

let catalogue: ActionCatalogue;
beforeAll(async () => {
  catalogue = await actionCatalogue();
});

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const keys = (sets: Parameters<typeof effectivePermissions>[0]) => effectivePermissions(sets, catalogue).granted.map((g) => g.action.key);
const identity = (...docs: unknown[]) => docs.flatMap((d, i) => statementsOf(d, `policy ${i + 1}`));

describe('the offline evaluator', () => {
  it('expands wildcards against the catalogue and classifies destructive actions', () => {
    const granted = effectivePermissions({ identity: identity(doc({ Effect: 'Allow', Action: 'rds:Delete*', Resource: '*' })), boundary: null, scps: [] }, catalogue).granted;
    expect(granted.map((g) => g.action.key)).toContain('rds:DeleteDBInstance');
    expect(granted.every((g) => g.action.key.startsWith('rds:Delete') && g.action.destructive)).toBe(true);
    expect(keys({ identity: identity(doc({ Effect: 'Allow', Action: 's3:Get?bject', Resource: '*' })), boundary: null, scps: [] })).toEqual(['s3:GetObject']);
  });

  it('lets an explicit Deny on every resource win over any Allow', () => {
    const r = effectivePermissions(
      { identity: identity(doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }), doc({ Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' })), boundary: null, scps: [] },
      catalogue,
    );
    expect(r.granted.map((g) => g.action.key)).not.toContain('dynamodb:DeleteTable');
    expect(r.granted.map((g) => g.action.key)).toContain('dynamodb:PutItem');
    expect(r.deniedExplicitly).toEqual([{ action: 'dynamodb:DeleteTable', by: 'policy 2' }]);
  });

  it('keeps a Deny on some resources as resources taken out, not a full denial', () => {
    const r = effectivePermissions(
      {
        identity: identity(doc({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::prod-*/*' })),
        boundary: null,
        scps: [],
      },
      catalogue,
    );
    expect(r.granted).toHaveLength(1);
    expect(r.granted[0]?.deniedOn).toEqual(['arn:aws:s3:::prod-*/*']);
  });

  it('intersects with the permissions boundary', () => {
    const sets = {
      identity: identity(doc({ Effect: 'Allow', Action: ['rds:*', 's3:*'], Resource: '*' })),
      boundary: statementsOf(doc({ Effect: 'Allow', Action: ['s3:GetObject', 'rds:Describe*', 'ec2:*'], Resource: '*' }), 'boundary'),
      scps: [],
    };
    const granted = keys(sets);
    expect(granted).toContain('s3:GetObject');
    expect(granted).toContain('rds:DescribeDBInstances');
    expect(granted).not.toContain('rds:DeleteDBInstance');
    expect(granted.some((k) => k.startsWith('ec2:'))).toBe(false);
    expect(effectivePermissions(sets, catalogue).outsideBoundary).toBeGreaterThan(100);
  });

  it('requires every SCP to allow, and their Deny counts like any other', () => {
    const scps = [statementsOf(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'rds:DeleteDB*', Resource: '*' }), 'SCP guard')];
    const r = effectivePermissions({ identity: identity(doc({ Effect: 'Allow', Action: 'rds:*', Resource: '*' })), boundary: null, scps }, catalogue);
    expect(r.deniedExplicitly.map((d) => d.action)).toContain('rds:DeleteDBInstance');
    expect(r.deniedExplicitly.every((d) => d.by === 'SCP guard')).toBe(true);
    const none = effectivePermissions({ identity: identity(doc({ Effect: 'Allow', Action: 'rds:*', Resource: '*' })), boundary: null, scps: [statementsOf(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'SCP s3 only')] }, catalogue);
    expect(none.granted).toEqual([]);
  });

  it('grants everything but the NotAction list, and honours NotResource as a scope', () => {
    const r = effectivePermissions({ identity: identity(doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], NotResource: 'arn:aws:s3:::audit/*' })), boundary: null, scps: [] }, catalogue);
    const granted = r.granted.map((g) => g.action.key);
    expect(granted).toContain('s3:DeleteObject');
    expect(granted.some((k) => k.startsWith('iam:') || k.startsWith('organizations:'))).toBe(false);
    expect(r.granted.find((g) => g.action.key === 's3:DeleteObject')?.resources).toEqual(['* except arn:aws:s3:::audit/*']);
  });

  it('keeps resource patterns and intersects them with the boundary', () => {
    const r = effectivePermissions(
      {
        identity: identity(doc({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: ['arn:aws:s3:::logs-*/*', 'arn:aws:s3:::data/*'] })),
        boundary: statementsOf(doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::logs-*' + '/*' }), 'boundary'),
        scps: [],
      },
      catalogue,
    );
    expect(r.granted[0]?.resources).toEqual(['arn:aws:s3:::logs-*/*']);
  });

  it('shows conditions as written and never decides them', () => {
    const r = effectivePermissions(
      {
        identity: identity(
          doc(
            { Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': ['dev', 'test'] } } },
            { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
            { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-04T23:00:00Z' } } },
          ),
        ),
        boundary: null,
        scps: [],
      },
      catalogue,
    );
    const terminate = r.granted.find((g) => g.action.key === 'ec2:TerminateInstances');
    expect(terminate?.conditions).toEqual([
      'allowed when StringEquals aws:ResourceTag/env = dev | test',
      'denied when DateLessThan aws:TokenIssueTime = 2026-12-04T23:00:00Z (policy 1)',
    ]);
    expect(r.granted.find((g) => g.action.key === 's3:GetObject')?.conditions).toEqual(['denied when DateLessThan aws:TokenIssueTime = 2026-12-04T23:00:00Z (policy 1)']);
  });

  it('refuses a statement IAM would reject, saying where', () => {
    expect(() => statementsOf(doc({ Effect: 'allow', Action: '*', Resource: '*' }), 'inline policy p of role r')).toThrow(/inline policy p of role r, statement 1: Effect must be Allow or Deny/);
    expect(() => statementsOf(doc({ Sid: 'NoAction', Effect: 'Allow', Resource: '*' }), 'policy x')).toThrow(/policy x, statement NoAction: neither Action nor NotAction/);
  });
});

describe('could versus did', () => {
  const role = 'arn:aws:iam::111122223333:role/agent';
  const snapshotOf = (...docs: unknown[]) => {
    const s = emptySnapshot();
    readSource(
      JSON.stringify({
        Role: { RoleName: 'agent', Arn: role, RolePolicyList: docs.map((d, i) => ({ PolicyName: `p${i}`, PolicyDocument: encodeURIComponent(JSON.stringify(d)) })) },
      }),
      'get-role.json',
    ).apply(s, null);
    return s;
  };
  const call = (eventSource: string, eventName: string, errorCode: string | null = null, eventTime = '2026-12-01T10:00:00Z') => ({ eventSource, eventName, eventTime, errorCode, resources: [] });

  it('names granted, used, unused, denied and conditional actions as IAM does', () => {
    const s = snapshotOf(
      doc({ Effect: 'Allow', Action: ['rds:DeleteDBInstance', 'rds:DescribeDBInstances', 's3:DeleteObject', 'lambda:CreateFunction'], Resource: '*' }),
      doc({ Effect: 'Allow', Action: 'dynamodb:DeleteTable', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    );
    const a = couldVersusDid(
      s,
      role,
      [
        call('rds.amazonaws.com', 'DescribeDBInstances'),
        call('rds.amazonaws.com', 'DeleteDBInstance'),
        call('s3.amazonaws.com', 'DeleteObjects'),
        call('lambda.amazonaws.com', 'CreateFunction20150331'),
        call('iam.amazonaws.com', 'CreateUser', 'AccessDenied', '2026-12-01T10:01:00Z'),
        call('iam.amazonaws.com', 'CreateUser', 'AccessDenied', '2026-12-01T10:02:00Z'),
      ],
      catalogue,
    );
    expect(a.identity).toBe(role);
    expect(a.granted).toEqual({ destructive: ['dynamodb:DeleteTable', 'rds:DeleteDBInstance', 's3:DeleteObject'], all: 5 });
    expect(a.used).toEqual({ destructive: ['rds:DeleteDBInstance', 's3:DeleteObject'], all: ['lambda:CreateFunction', 'rds:DeleteDBInstance', 'rds:DescribeDBInstances', 's3:DeleteObject'] });
    expect(a.unused).toEqual(['dynamodb:DeleteTable']);
    expect(a.denied).toEqual([{ action: 'iam:CreateUser', errorCode: 'AccessDenied', calls: 2, first: '2026-12-01T10:01:00Z', last: '2026-12-01T10:02:00Z' }]);
    expect(a.conditional).toEqual([{ action: 'dynamodb:DeleteTable', condition: 'conditional: allowed when Bool aws:MultiFactorAuthPresent = true' }]);
    expect(a.usedButNotGranted).toEqual([]);
  });
});
