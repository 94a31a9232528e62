import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import { repoRoot } from '../../helpers/core';

const table = loadHighRiskTable(repoRoot);
const SAMPLES = join(repoRoot, '..', 'shared', 'reference', 'cloudtrail');
const hasReference = existsSync(SAMPLES);

const classify = (eventSource: string, eventName: string, extra: Record<string, unknown> = {}) =>
  table.classify({ eventSource, eventName, userIdentity: { arn: 'arn:aws:iam::1:user/alice' }, ...extra }, eventSource, eventName).map((r) => r.id);

describe('the shipped high-risk table', () => {
  it.skipIf(!hasReference)('is a reviewed copy of every row of the reference table, then the rows added from SigmaHQ and use', () => {
    const reference = JSON.parse(readFileSync(join(SAMPLES, 'high-risk-events.json'), 'utf8')) as { events: Array<{ eventSource: string; eventName: string; condition: string }> };
    expect(table.rules.length).toBeGreaterThan(reference.events.length);
    reference.events.forEach((e, i) => {
      const rule = table.rules[i];
      expect(rule?.eventSource).toBe(e.eventSource);
      expect(rule?.condition).toBe(e.condition);
      for (const name of rule?.eventNames ?? []) expect(e.eventName).toContain(name);
    });
    expect(new Set(table.rules.map((r) => r.id)).size).toBe(table.rules.length);
  });

  it.skipIf(!hasReference)('holds every destructive, recovery-inhibiting and defence-evasion event of SigmaHQ high and critical rules, and says why the others are out', () => {
    const tsv = readFileSync(join(SAMPLES, 'sigma-rules-summary.tsv'), 'utf8').trim().split('\n').slice(1);
    const names = new Set(tsv.map((l) => l.split('\t')).filter((c) => c[2] === 'high' || c[2] === 'critical').flatMap((c) => (c[5] ?? '').split(',').filter(Boolean)));
    expect(names.size).toBe(28);
    const shipped = JSON.parse(readFileSync(join(repoRoot, 'resources', 'cloudtrail', 'high-risk-events.json'), 'utf8')) as { _sigma_high_critical: { leftOut: Array<{ eventNames: string; why: string }> } };
    const covered = new Set(table.rules.flatMap((r) => r.eventNames));
    const leftOut = new Set(shipped._sigma_high_critical.leftOut.flatMap((l) => l.eventNames.split(', ')));
    expect([...names].filter((n) => !covered.has(n) && !leftOut.has(n))).toEqual([]);
    expect([...names].filter((n) => covered.has(n))).toHaveLength(18);
  });

  it('flags snapshots and images shared with another account, resolver query logging deleted and leaving the organization', () => {
    expect(classify('ec2.amazonaws.com', 'ModifySnapshotAttribute', { requestParameters: { snapshotId: 'snap-1', createVolumePermission: { add: { items: [{ userId: '999988887777' }] } } } })).toEqual(['ec2-snapshot-shared']);
    expect(classify('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', { requestParameters: { attributeName: 'restore', valuesToAdd: ['999988887777'] } })).toEqual(['rds-snapshot-shared']);
    expect(classify('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', { requestParameters: { attributeName: 'restore', valuesToRemove: ['999988887777'] } })).toEqual([]);
    expect(classify('ec2.amazonaws.com', 'ModifyImageAttribute', { requestParameters: { imageId: 'ami-1', launchPermission: { add: { items: [{ group: 'all' }] } } } })).toEqual(['ec2-image-shared']);
    expect(classify('route53resolver.amazonaws.com', 'DeleteResolverQueryLogConfig')).toEqual(['route53resolver-query-logging-deleted']);
    expect(classify('organizations.amazonaws.com', 'LeaveOrganization')).toEqual(['organizations-leave']);
    expect(classify('kms.amazonaws.com', 'DeleteImportedKeyMaterial')).toEqual(['kms-key-material-changed']);
    expect(classify('guardduty.amazonaws.com', 'CreateIPSet')).toEqual(['guardduty-ip-sets-changed']);
  });

  it('applies the conditions', () => {
    const versioning = (Status: string) => ({ requestParameters: { bucketName: 'b', VersioningConfiguration: { Status } } });
    expect(classify('s3.amazonaws.com', 'PutBucketVersioning', versioning('Suspended'))).toEqual(['s3-versioning-suspended']);
    expect(classify('s3.amazonaws.com', 'PutBucketVersioning', versioning('Enabled'))).toEqual([]);
    expect(classify('s3.amazonaws.com', 'PutBucketVersioning', { requestParameters: { bucketName: 'Suspended' } })).toEqual([]);

    expect(classify('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { deletionProtection: false } })).toEqual(['rds-deletion-protection-off']);
    expect(classify('rds.amazonaws.com', 'ModifyDBCluster', { requestParameters: { deletionProtection: 'false' } })).toEqual(['rds-deletion-protection-off']);
    expect(classify('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { deletionProtection: true } })).toEqual([]);
    expect(classify('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { allocatedStorage: 100 } })).toEqual([]);
    expect(classify('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { deletionProtection: false, backupRetentionPeriod: 0 } })).toEqual([
      'rds-deletion-protection-off',
      'rds-backups-disabled',
    ]);
    expect(classify('rds.amazonaws.com', 'ModifyDBInstance', { responseElements: { pendingModifiedValues: { masterUserPassword: '****' } } })).toEqual([
      'rds-master-password-changed',
    ]);

    expect(classify('rds.amazonaws.com', 'DeleteDBSnapshot', { userAgent: 'aws-cli/2' })).toEqual(['rds-delete-snapshot']);
    expect(classify('rds.amazonaws.com', 'DeleteDBSnapshot', { userAgent: 'backup.amazonaws.com' })).toEqual([]);

    const other = { responseElements: { accessKey: { userName: 'bob' } } };
    const self = { responseElements: { accessKey: { userName: 'alice' } } };
    expect(classify('iam.amazonaws.com', 'CreateAccessKey', other)).toEqual(['iam-access-key-for-other-user']);
    expect(classify('iam.amazonaws.com', 'CreateAccessKey', self)).toEqual([]);
    expect(classify('iam.amazonaws.com', 'CreateAccessKey', { errorCode: 'AccessDenied', requestParameters: { userName: 'bob' } })).toEqual([
      'iam-access-key-for-other-user',
    ]);

    expect(classify('iam.amazonaws.com', 'AttachRolePolicy', { requestParameters: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } })).toHaveLength(1);
    expect(classify('iam.amazonaws.com', 'AttachRolePolicy', { requestParameters: { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } })).toEqual([]);

    const selectors = (includeManagementEvents: boolean) => ({ requestParameters: { eventSelectors: [{ includeManagementEvents, excludeManagementEventSources: [] }] } });
    expect(classify('cloudtrail.amazonaws.com', 'PutEventSelectors', selectors(false))).toHaveLength(1);
    expect(classify('cloudtrail.amazonaws.com', 'PutEventSelectors', selectors(true))).toEqual([]);

    expect(classify('s3.amazonaws.com', 'PutBucketLifecycle', { requestParameters: { LifecycleConfiguration: { Rule: [{ ID: 'a' }, { Expiration: { Days: 1 } }] } } })).toHaveLength(1);
    expect(classify('ec2.amazonaws.com', 'ModifySnapshotAttribute', { requestParameters: { createVolumePermission: { remove: { items: [{ group: 'all' }] } } } })).toHaveLength(1);
    expect(classify('ec2.amazonaws.com', 'ModifySnapshotAttribute', { requestParameters: { createVolumePermission: { add: { items: [{ group: 'all' }] } } } })).toEqual(['ec2-snapshot-shared']);
    expect(classify('dynamodb.amazonaws.com', 'UpdateContinuousBackups', { requestParameters: { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } } })).toHaveLength(1);
  });

  it('matches Lambda API names with their version suffix, and never read-only calls', () => {
    expect(classify('lambda.amazonaws.com', 'DeleteFunction20150331')).toEqual(['lambda-delete-function']);
    expect(classify('lambda.amazonaws.com', 'DeleteFunction20150331v2')).toEqual(['lambda-delete-function']);
    expect(classify('rds.amazonaws.com', 'DeleteDBInstance', { readOnly: true })).toEqual([]);
    expect(classify('rds.amazonaws.com', 'DescribeDBInstances')).toEqual([]);
  });

  it('carries ATT&CK ids and marks judgment rows', () => {
    const byId = new Map(table.rules.map((r) => [r.id, r]));
    expect(byId.get('rds-delete-instance')).toMatchObject({ attack: ['T1485'], judgment: false });
    expect(byId.get('dynamodb-delete-table')).toMatchObject({ attack: ['T1485'], judgment: true });
    expect(byId.get('cloudtrail-logging-stopped')).toMatchObject({ attack: ['T1562.008'], attackV19: ['T1685.002'] });
  });

  it.skipIf(!existsSync(join(SAMPLES, 'samples', 'stratus-red-team')))('classifies the real Stratus Red Team detonations', () => {
    const expectations: Array<[string, string]> = [
      ['aws.defense-evasion.cloudtrail-stop.json', 'cloudtrail-logging-stopped'],
      ['aws.defense-evasion.cloudtrail-delete.json', 'cloudtrail-logging-stopped'],
      ['aws.defense-evasion.cloudtrail-event-selectors.json', 'cloudtrail-management-events-excluded'],
      ['aws.defense-evasion.vpc-remove-flow-logs.json', 'ec2-delete-flow-logs'],
      ['aws.persistence.iam-backdoor-user.json', 'iam-access-key-for-other-user'],
      ['aws.persistence.iam-backdoor-role.json', 'iam-trust-policy-updated'],
      ['aws.privilege-escalation.iam-update-user-login-profile.json', 'iam-login-profile-changed'],
    ];
    for (const [file, rule] of expectations) {
      const records = JSON.parse(readFileSync(join(SAMPLES, 'samples', 'stratus-red-team', file), 'utf8')) as Array<Record<string, unknown>>;
      const found = records.flatMap((r) => table.classify(r, String(r.eventSource), String(r.eventName)).map((x) => x.id));
      expect(found, file).toContain(rule);
    }
  });
});
