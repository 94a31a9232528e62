/**
 * Recognises what an IAM file is by its content (never its name) and folds it into a snapshot. Policy documents are
 * taken as IAM returns them (URL-encoded JSON text) or as the AWS CLI prints them (decoded objects).
 */
import type { IamSourceKind } from '../../../shared/iam';
import { badInput } from '../../errors';
import { credentialReportText, parseCredentialReport } from './credential-report';
import { type IamSnapshot, type IdentityRecord, type InlinePolicy, nameOfArn, putIdentity, putPolicy } from './snapshot';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A policy document: an object, JSON text, or URL-encoded JSON text (what the IAM API returns). */
export function policyDocument(v: unknown, where: string): unknown {
  if (obj(v)) return v;
  if (typeof v !== 'string') throw badInput(`${where}: the policy document is neither JSON nor URL-encoded JSON.`);
  for (const text of [v, safeDecode(v)]) {
    if (text === null) continue;
    try {
      const doc: unknown = JSON.parse(text);
      if (obj(doc)) return doc;
    } catch {
      // try the next form
    }
  }
  throw badInput(`${where}: the policy document is neither JSON nor URL-encoded JSON.`);
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** What a file is, and how it joins the snapshot. `needs` names the binding a piece that does not name its owner needs. */
export interface ReadSource {
  kind: IamSourceKind;
  summary: string;
  needs: 'identity' | 'policy' | null;
  apply(s: IamSnapshot, binding: string | null): void;
}

const inlineList = (list: unknown, where: string): InlinePolicy[] =>
  arr(list).map((p, i) => {
    const o = obj(p) ?? {};
    const name = str(o.PolicyName) ?? `inline-${i + 1}`;
    return { name, document: policyDocument(o.PolicyDocument, `${where} inline policy ${name}`) };
  });

const attachedList = (list: unknown): string[] => arr(list).map((p) => str(obj(p)?.PolicyArn)).filter((a): a is string => a !== null);

function authzIdentity(kind: IdentityRecord['kind'], o: Json, where: string): IdentityRecord {
  const name = str(o.RoleName) ?? str(o.UserName) ?? str(o.GroupName);
  const arn = str(o.Arn);
  if (!name || !arn) throw badInput(`${where}: a ${kind} without a name or ARN.`);
  const at = `${where} ${kind} ${name}`;
  return {
    kind,
    arn,
    name,
    inline: inlineList(o.RolePolicyList ?? o.UserPolicyList ?? o.GroupPolicyList, at),
    attached: attachedList(o.AttachedManagedPolicies),
    boundary: str(obj(o.PermissionsBoundary)?.PermissionsBoundaryArn),
    groups: arr(o.GroupList).map(str).filter((g): g is string => g !== null),
    trust: o.AssumeRolePolicyDocument === undefined ? null : policyDocument(o.AssumeRolePolicyDocument, `${at} trust policy`),
    lastUsed: str(obj(o.RoleLastUsed)?.LastUsedDate),
  };
}

function authorizationDetails(doc: Json, where: string): ReadSource {
  const roles = arr(doc.RoleDetailList).map((r) => authzIdentity('role', obj(r) ?? {}, where));
  const users = arr(doc.UserDetailList).map((r) => authzIdentity('user', obj(r) ?? {}, where));
  const groups = arr(doc.GroupDetailList).map((r) => authzIdentity('group', obj(r) ?? {}, where));
  const policies = arr(doc.Policies).map((p) => {
    const o = obj(p) ?? {};
    const arn = str(o.Arn);
    if (!arn) throw badInput(`${where}: a managed policy without an ARN.`);
    const versions = arr(o.PolicyVersionList).map((v) => obj(v) ?? {});
    const current = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === o.DefaultVersionId);
    const document = current?.Document === undefined ? null : policyDocument(current.Document, `${where} policy ${arn}`);
    return { arn, name: str(o.PolicyName) ?? nameOfArn(arn), document };
  });
  return {
    kind: 'authorization-details',
    summary: `${users.length} users, ${groups.length} groups, ${roles.length} roles, ${policies.length} policies`,
    needs: null,
    apply(s) {
      for (const r of [...roles, ...users, ...groups]) putIdentity(s, r);
      for (const p of policies) putPolicy(s, p);
    },
  };
}

function single(kind: 'get-role' | 'get-user', o: Json, where: string): ReadSource {
  const id = authzIdentity(kind === 'get-role' ? 'role' : 'user', o, where);
  return { kind, summary: `${id.kind} ${id.arn}`, needs: null, apply: (s) => void putIdentity(s, id) };
}

/** Pieces that belong to an identity or a policy they do not name are bound to one when the snapshot has it. */
function ownerOf(s: IamSnapshot, binding: string | null, ownerName: string | null, kind: 'role' | 'user' | 'group' | null): IdentityRecord | null {
  const wanted = ownerName ?? binding;
  if (kind === 'group' || wanted?.startsWith('group:')) {
    const name = wanted?.replace(/^group:/, '') ?? '';
    return s.groups.get(name) ?? { kind: 'group', arn: `group:${name}`, name, inline: [], attached: [], boundary: null, groups: [], trust: null, lastUsed: null };
  }
  const all = [...s.identities.values()].filter((i) => kind === null || i.kind === kind);
  if (wanted) return all.find((i) => i.arn === wanted || i.name === wanted) ?? null;
  return all.length === 1 ? (all[0] as IdentityRecord) : null;
}

function bareIdentity(kind: 'role' | 'user', name: string, where: string): IdentityRecord {
  throw badInput(`${where}: it belongs to ${kind} ${name}, which no file given before it describes: import its get-${kind} or authorization details first.`);
}

/** Reads one file's text; `where` names it in messages. */
export function readSource(text: string, where: string): ReadSource {
  const csv = credentialReportText(text);
  if (csv) {
    const rows = parseCredentialReport(csv.csv, where);
    return {
      kind: 'credential-report',
      summary: `credential report of ${rows.length} rows${csv.generatedAt ? `, generated ${csv.generatedAt}` : ''}`,
      needs: null,
      apply: (s) => void (s.credentialReport = { generatedAt: csv.generatedAt, rows }),
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw badInput(`${where}: not JSON and not a credential report CSV (${(e as Error).message}).`);
  }
  const doc = obj(parsed);
  if (!doc) throw badInput(`${where}: expected a JSON object from the AWS CLI or IAM API.`);
  if ('RoleDetailList' in doc || 'UserDetailList' in doc || 'GroupDetailList' in doc || ('Policies' in doc && Array.isArray(doc.Policies))) return authorizationDetails(doc, where);
  if (obj(doc.Role)) return single('get-role', obj(doc.Role) as Json, where);
  if (obj(doc.User)) return single('get-user', obj(doc.User) as Json, where);
  if (Array.isArray(doc.AttachedPolicies)) {
    const arns = attachedList(doc.AttachedPolicies);
    return {
      kind: 'list-attached-policies',
      summary: `${arns.length} attached policies`,
      needs: 'identity',
      apply(s, binding) {
        const owner = ownerOf(s, binding, null, null);
        if (!owner) throw badInput(`${where}: list-attached-*-policies output does not name its role or user, and the snapshot has ${s.identities.size} identities: give the identity it belongs to.`);
        putIdentity(s, { ...owner, inline: [], attached: arns, groups: [] });
      },
    };
  }
  if (str(doc.PolicyName) && doc.PolicyDocument !== undefined) {
    const document = policyDocument(doc.PolicyDocument, where);
    const ownerName = str(doc.RoleName) ?? str(doc.UserName) ?? str(doc.GroupName);
    const kind = str(doc.RoleName) ? 'role' : str(doc.UserName) ? 'user' : str(doc.GroupName) ? 'group' : null;
    return {
      kind: 'inline-policy',
      summary: `inline policy ${String(doc.PolicyName)}${ownerName ? ` of ${kind} ${ownerName}` : ''}`,
      needs: ownerName ? null : 'identity',
      apply(s, binding) {
        const owner = ownerOf(s, binding, ownerName, kind);
        if (!owner) return void bareIdentity(kind === 'user' ? 'user' : 'role', ownerName ?? binding ?? '(unnamed)', where);
        putIdentity(s, { ...owner, inline: [{ name: String(doc.PolicyName), document }], attached: [], groups: [] });
      },
    };
  }
  const version = obj(doc.PolicyVersion);
  if (version && version.Document !== undefined) {
    const document = policyDocument(version.Document, where);
    return {
      kind: 'policy-version',
      summary: `policy version ${str(version.VersionId) ?? '?'}`,
      needs: 'policy',
      apply(s, binding) {
        const missing = [...s.policies.values()].filter((p) => p.document === null).map((p) => p.arn);
        const named = [...new Set([...s.identities.values(), ...s.groups.values()].flatMap((i) => [...i.attached, ...(i.boundary ? [i.boundary] : [])]))].filter(
          (a) => !s.policies.get(a)?.document,
        );
        const open = [...new Set([...missing, ...named])];
        const arn = binding ?? (open.length === 1 ? open[0] : open.find((a) => where.includes(nameOfArn(a))));
        if (!arn) {
          throw badInput(`${where}: get-policy-version output does not name its policy; ${open.length ? `it could be ${open.join(', ')}` : 'no attached policy lacks its document'}: give the policy ARN it belongs to.`);
        }
        putPolicy(s, { arn, name: nameOfArn(arn), document });
      },
    };
  }
  const more = capturePieces(doc, where);
  if (more) return more;
  const scp = obj(doc.Policy);
  if (scp && typeof scp.Content === 'string') {
    const summary = obj(scp.PolicySummary) ?? {};
    const name = str(summary.Name) ?? str(summary.Id) ?? 'SCP';
    if (summary.Type !== undefined && summary.Type !== 'SERVICE_CONTROL_POLICY') throw badInput(`${where}: an Organizations policy of type ${String(summary.Type)}, not a service control policy.`);
    const document = policyDocument(scp.Content, where);
    return { kind: 'scp', summary: `service control policy ${name}`, needs: null, apply: (s) => void s.scps.push({ name, document }) };
  }
  throw badInput(
    `${where}: not an IAM file Firebreak reads. It takes get-account-authorization-details, get-role, get-user, list-attached-role-policies, get-role-policy, get-policy-version, organizations describe-policy (SCP) outputs and the credential report.`,
  );
}

/** The smaller outputs `iam capture` keeps as it goes: names, groups, keys, last-accessed data, policy metadata. */
function capturePieces(doc: Json, where: string): ReadSource | null {
  if (Array.isArray(doc.PolicyNames)) {
    const names = arr(doc.PolicyNames).map(String);
    // Only names: the documents come in get-*-policy outputs.
    return { kind: 'policy-names', summary: `${names.length} inline policy names`, needs: 'identity', apply: () => undefined };
  }
  const policy = obj(doc.Policy);
  if (policy && str(policy.Arn) && policy.Content === undefined) {
    const arn = str(policy.Arn) as string;
    return { kind: 'get-policy', summary: `policy ${arn}, default version ${str(policy.DefaultVersionId) ?? '?'}`, needs: null, apply: (s) => putPolicy(s, { arn, name: str(policy.PolicyName) ?? nameOfArn(arn), document: null }) };
  }
  if (Array.isArray(doc.Groups)) {
    const groups = arr(doc.Groups).map((g) => str(obj(g)?.GroupName)).filter((g): g is string => g !== null);
    return {
      kind: 'groups-for-user',
      summary: `${groups.length} groups`,
      needs: 'identity',
      apply(s, binding) {
        const owner = ownerOf(s, binding, null, 'user');
        if (!owner) throw badInput(`${where}: list-groups-for-user output does not name its user: give the user it belongs to.`);
        putIdentity(s, { ...owner, inline: [], attached: [], groups });
        for (const g of groups) if (!s.groups.has(g)) putIdentity(s, { kind: 'group', arn: `group:${g}`, name: g, inline: [], attached: [], boundary: null, groups: [], trust: null, lastUsed: null });
      },
    };
  }
  if (Array.isArray(doc.AccessKeyMetadata)) {
    const keys = arr(doc.AccessKeyMetadata).map((k) => obj(k) ?? {});
    const user = str(keys[0]?.UserName);
    const list = keys.map((k) => ({ id: str(k.AccessKeyId) ?? '', status: str(k.Status) ?? 'Unknown', createdAt: str(k.CreateDate) }));
    return {
      kind: 'access-keys',
      summary: `${list.length} access keys${user ? ` of user ${user}` : ''}`,
      needs: user ? null : 'identity',
      apply(s, binding) {
        const owner = ownerOf(s, binding, user, 'user');
        if (!owner) throw badInput(`${where}: list-access-keys output for a user the snapshot does not describe: import the user first.`);
        s.accessKeys.set(owner.arn, list);
      },
    };
  }
  if (Array.isArray(doc.ServicesLastAccessed)) {
    const services = new Map(arr(doc.ServicesLastAccessed).map((x) => [str(obj(x)?.ServiceNamespace) ?? '', str(obj(x)?.LastAuthenticated)] as const));
    return {
      kind: 'last-accessed',
      summary: `last-accessed data for ${services.size} services (${String(doc.JobStatus ?? 'status unknown')})`,
      needs: 'identity',
      apply(s, binding) {
        const owner = ownerOf(s, binding, null, null);
        if (!owner) throw badInput(`${where}: service last-accessed data does not name its identity: give the role or user it belongs to.`);
        s.lastAccessed.set(owner.arn, services);
      },
    };
  }
  return null;
}
