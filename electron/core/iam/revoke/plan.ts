/**
 * The one-step revocation, planned before anything is sent: for a role, a deny-all inline policy and the deny on
 * `aws:TokenIssueTime` that the console's "Revoke active sessions" writes (policy AWSRevokeOlderSessions), which ends
 * sessions issued before now; for a user, a deny-all inline policy and every active access key set Inactive. Each call
 * has its undo; a policy the revocation overwrites is put back as it was.
 */
import type { RevokeCall, RevokePlan } from '../../../shared/iam';
import type { IamSnapshot, IdentityRecord } from '../sources/snapshot';

export const REVOKE_SESSIONS_POLICY = 'AWSRevokeOlderSessions';
export const denyAllPolicyName = (incidentId: string) => `FirebreakDenyAll-${incidentId}`;

const json = (doc: unknown) => JSON.stringify(doc);

export const denyAllDocument = (incidentId: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: `FirebreakRevoke${incidentId.replace(/[^A-Za-z0-9]/g, '')}`, Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** What the console writes: sessions whose token was issued before `at` are denied everything. */
export const olderSessionsDocument = (at: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': at } } }],
});

export interface PlanTarget {
  kind: 'role' | 'user';
  /** The role or user name. */
  name: string;
  /** What the snapshot knows of it, or null when no capture or import describes it. */
  record: IdentityRecord | null;
}

function restoreOrDelete(kind: 'role' | 'user', name: string, policy: string, existing: IdentityRecord | null): RevokeCall {
  const before = existing?.inline.find((p) => p.name === policy);
  const Owner = kind === 'role' ? 'RoleName' : 'UserName';
  const Kind = kind === 'role' ? 'Role' : 'User';
  return before
    ? { api: `Put${Kind}Policy`, params: { [Owner]: name, PolicyName: policy, PolicyDocument: json(before.document) } }
    : { api: `Delete${Kind}Policy`, params: { [Owner]: name, PolicyName: policy } };
}

export function revokePlan(incidentId: string, t: PlanTarget, snapshot: IamSnapshot, at: string): RevokePlan {
  const identity = t.record?.arn ?? `${t.kind} ${t.name}`;
  const refusal = t.record ? null : `No capture of ${t.kind} ${t.name} exists in ${incidentId}: run \`firebreak iam capture ${incidentId} --${t.kind}-name ${t.name}\` (or import its IAM files) first, so what it could do is kept before it changes; or override with a reason.`;
  const denyAll = denyAllPolicyName(incidentId);
  if (t.kind === 'role') {
    return {
      identity,
      kind: 'role',
      calls: [
        { api: 'PutRolePolicy', params: { RoleName: t.name, PolicyName: denyAll, PolicyDocument: json(denyAllDocument(incidentId)) } },
        { api: 'PutRolePolicy', params: { RoleName: t.name, PolicyName: REVOKE_SESSIONS_POLICY, PolicyDocument: json(olderSessionsDocument(at)) } },
      ],
      undo: [restoreOrDelete('role', t.name, denyAll, t.record), restoreOrDelete('role', t.name, REVOKE_SESSIONS_POLICY, t.record)],
      refusal,
    };
  }
  const keys = (t.record ? (snapshot.accessKeys.get(t.record.arn) ?? []) : []).filter((k) => k.status === 'Active');
  const keyRefusal = t.record && !snapshot.accessKeys.has(t.record.arn) ? `The access keys of user ${t.name} are not in the snapshot: capture the user with \`firebreak iam capture ${incidentId} --user-name ${t.name}\` so each key can be named, or override with a reason (only the deny-all policy is then attached).` : null;
  return {
    identity,
    kind: 'user',
    calls: [
      { api: 'PutUserPolicy', params: { UserName: t.name, PolicyName: denyAll, PolicyDocument: json(denyAllDocument(incidentId)) } },
      ...keys.map((k) => ({ api: 'UpdateAccessKey', params: { UserName: t.name, AccessKeyId: k.id, Status: 'Inactive' } })),
    ],
    undo: [restoreOrDelete('user', t.name, denyAll, t.record), ...keys.map((k) => ({ api: 'UpdateAccessKey', params: { UserName: t.name, AccessKeyId: k.id, Status: 'Active' } }))],
    refusal: refusal ?? keyRefusal,
  };
}
