import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialFacts } from '../../../electron/core/iam/analyse/credential-facts';
import { findIdentity, policySetsOf } from '../../../electron/core/iam/evaluate/identity-policies';
import { readSource } from '../../../electron/core/iam/sources/read';
import { emptySnapshot, missingDocuments } from '../../../electron/core/iam/sources/snapshot';
import { repoRoot } from '../../helpers/core';

const reference = join(repoRoot, '..', 'shared', 'reference', 'aws-iam');
const text = (p: string) => readFileSync(join(reference, p), 'utf8');

describe('IAM files as responders have them', () => {
  it('reads the lab account download (decoded documents, boto3 dates)', () => {
    const s = emptySnapshot();
    const r = readSource(text('cloudsplaining/example.json'), 'example.json');
    expect(r.kind).toBe('authorization-details');
    expect(r.summary).toBe('41 users, 3 groups, 75 roles, 56 policies');
    r.apply(s, null);
    const admin = findIdentity(s, 'arn:aws:iam::200611803367:role/privesc-sre-role');
    expect(admin.kind).toBe('role');
    expect(policySetsOf(s, admin).sets.identity.length).toBeGreaterThan(0);
    // A user's groups resolve by name.
    const user = [...s.identities.values()].find((i) => i.kind === 'user' && i.groups.length > 0);
    expect(user && missingDocuments(s, user).filter((m) => m.startsWith('group '))).toEqual([]);
  });

  it('reads the demo account (URL-encoded documents) and its credential report', () => {
    const s = emptySnapshot();
    readSource(text('cloudmapper/iam-get-account-authorization-details.json'), 'authz.json').apply(s, null);
    const bad = findIdentity(s, 'bad_role');
    expect(bad.arn).toBe('arn:aws:iam::123456789012:role/bad_role');
    const report = readSource(text('cloudmapper/iam-get-credential-report.json'), 'report.json');
    expect(report.kind).toBe('credential-report');
    report.apply(s, null);
    expect(s.credentialReport?.rows.map((r) => r.user)).toEqual(['<root_account>', 'auditor_tmp', 'user']);
    expect(s.credentialReport?.rows[2]?.accessKeys[1]).toEqual({ slot: 2, active: true, lastRotated: '2018-05-07T15:35:54+00:00', lastUsed: '2018-05-07T15:35:54+00:00', lastUsedService: 's3' });
  });

  it('turns the credential report into AC-2 facts for agent users, saying how coarse last use is', () => {
    const s = emptySnapshot();
    readSource(text('cloudmapper/iam-get-credential-report.json'), 'report.json').apply(s, null);
    const [fact] = credentialFacts(s, ['arn:aws:iam::123456789012:user/user']);
    expect(fact?.keys.map((k) => [k.slot, k.active, k.ageDays])).toEqual([[1, true, 0], [2, true, 365]]);
    expect(fact?.findings).toEqual([
      'access key 1 is active and has never been used',
      'access key 2 is 365 days old (not rotated within 90 days)',
      'access key 2 last used 2018-05-07T15:35:54+00:00 (s3); the report keeps only the first use in each 15-minute span',
      'two active access keys',
      'console access for an agent identity (password enabled, no MFA)',
    ]);
    expect(credentialFacts(s, ['arn:aws:iam::123456789012:role/other'])).toEqual([]);
  });

  it('takes the credential report as the API sends it (base64) and as CSV', () => {
    const csv = JSON.parse(text('cloudmapper/iam-get-credential-report.json')).Content as string;
    const api = JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2019-05-07T15:40:22Z' });
    expect(readSource(api, 'api.json').summary).toBe('credential report of 3 rows, generated 2019-05-07T15:40:22Z');
    expect(readSource(csv, 'report.csv').summary).toBe('credential report of 3 rows');
  });

  it('puts get-role, list-attached-role-policies and get-policy-version together', () => {
    const s = emptySnapshot();
    readSource(JSON.stringify({ Role: { RoleName: 'agent', Arn: 'arn:aws:iam::111122223333:role/agent', AssumeRolePolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D' } }), 'role.json').apply(s, null);
    readSource(JSON.stringify({ AttachedPolicies: [{ PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }] }), 'attached.json').apply(s, null);
    const id = findIdentity(s, 'arn:aws:sts::111122223333:assumed-role/agent/session-1');
    expect(missingDocuments(s, id)).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    readSource(JSON.stringify({ PolicyVersion: { VersionId: 'v5', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }] } } }), 'version.json').apply(s, null);
    expect(missingDocuments(s, id)).toEqual([]);
    readSource(JSON.stringify({ RoleName: 'agent', PolicyName: 'extra', PolicyDocument: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'rds:*', Resource: '*' } } }), 'inline.json').apply(s, null);
    expect(findIdentity(s, 'agent').inline.map((p) => p.name)).toEqual(['extra']);
  });

  it('says what is wrong and where', () => {
    expect(() => readSource('{"Foo": 1}', 'odd.json')).toThrow(/odd\.json: not an IAM file Firebreak reads/);
    expect(() => readSource('not json', 'x.txt')).toThrow(/x\.txt: not JSON and not a credential report CSV/);
    expect(() => readSource(JSON.stringify({ Role: { RoleName: 'r', Arn: 'arn:aws:iam::1:role/r', RolePolicyList: [{ PolicyName: 'p', PolicyDocument: '%7Bbroken' }] } }), 'role.json')).toThrow(
      /role\.json role r inline policy p: the policy document is neither JSON nor URL-encoded JSON/,
    );
    const s = emptySnapshot();
    expect(() => readSource(JSON.stringify({ AttachedPolicies: [] }), 'attached.json').apply(s, null)).toThrow(/attached\.json: list-attached-\*-policies output does not name its role or user/);
    expect(() => readSource('user,arn,mfa_active\nx,arn:aws:iam::1:user/x\n', 'r.csv').apply(s, null)).toThrow(/r\.csv:2: the credential report row has 2 cells, the header 3/);
  });
});
