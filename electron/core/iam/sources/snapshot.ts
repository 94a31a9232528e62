/**
 * The IAM state of an account as far as the files given describe it: identities (roles, users, groups) with their
 * inline and attached policies and boundaries, managed policy documents, SCPs and the credential report. Several
 * files merge into one snapshot; later files fill what earlier ones left out.
 */
import type { CredentialRow } from './credential-report';

export type PolicyDocument = unknown;

export interface InlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface IdentityRecord {
  kind: 'role' | 'user' | 'group';
  arn: string;
  name: string;
  inline: InlinePolicy[];
  /** ARNs of attached managed policies. */
  attached: string[];
  /** ARN of the permissions boundary, or null. */
  boundary: string | null;
  /** Group names, for a user. */
  groups: string[];
  trust: PolicyDocument | null;
  /** RoleLastUsed.LastUsedDate, when the source carries it. */
  lastUsed: string | null;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  document: PolicyDocument | null;
}

export interface IamSnapshot {
  /** Roles and users by ARN. */
  identities: Map<string, IdentityRecord>;
  /** Groups by name (users name their groups by name). */
  groups: Map<string, IdentityRecord>;
  policies: Map<string, ManagedPolicy>;
  scps: InlinePolicy[];
  credentialReport: { generatedAt: string | null; rows: CredentialRow[] } | null;
  /** Service last-accessed data by identity ARN: service namespace -> last authenticated time (null: never in the tracking period). */
  lastAccessed: Map<string, Map<string, string | null>>;
  /** Access keys by user ARN, from list-access-keys. */
  accessKeys: Map<string, Array<{ id: string; status: string; createdAt: string | null }>>;
}

export const emptySnapshot = (): IamSnapshot => ({
  identities: new Map(),
  groups: new Map(),
  policies: new Map(),
  scps: [],
  credentialReport: null,
  lastAccessed: new Map(),
  accessKeys: new Map(),
});

/** "arn:aws:iam::123:policy/path/Name" -> "Name". */
export const nameOfArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** Adds or completes an identity: lists are merged without repeats, known fields are never blanked. */
export function putIdentity(s: IamSnapshot, r: IdentityRecord): IdentityRecord {
  const map = r.kind === 'group' ? s.groups : s.identities;
  const key = r.kind === 'group' ? r.name : r.arn;
  const old = map.get(key);
  if (!old) {
    map.set(key, r);
    return r;
  }
  const inline = [...old.inline];
  for (const p of r.inline) {
    const i = inline.findIndex((q) => q.name === p.name);
    if (i >= 0) inline[i] = p;
    else inline.push(p);
  }
  const merged: IdentityRecord = {
    ...old,
    inline,
    attached: [...new Set([...old.attached, ...r.attached])],
    groups: [...new Set([...old.groups, ...r.groups])],
    boundary: r.boundary ?? old.boundary,
    trust: r.trust ?? old.trust,
    lastUsed: r.lastUsed ?? old.lastUsed,
  };
  map.set(key, merged);
  return merged;
}

export function putPolicy(s: IamSnapshot, p: ManagedPolicy): void {
  const old = s.policies.get(p.arn);
  if (!old || (old.document === null && p.document !== null)) s.policies.set(p.arn, p);
}

/** Policies an identity names (attached, its groups' attached, its boundary) whose document the snapshot lacks. */
export function missingDocuments(s: IamSnapshot, id: IdentityRecord): string[] {
  const groups = id.groups.map((g) => s.groups.get(g)).filter((g): g is IdentityRecord => Boolean(g));
  const arns = [...id.attached, ...groups.flatMap((g) => g.attached), ...(id.boundary ? [id.boundary] : [])];
  const missing = new Set(arns.filter((a) => !s.policies.get(a)?.document));
  for (const g of id.groups) if (!s.groups.has(g)) missing.add(`group ${g}`);
  return [...missing].sort();
}

export function snapshotSummary(s: IamSnapshot): string {
  const count = (kind: IdentityRecord['kind']) => [...s.identities.values()].filter((i) => i.kind === kind).length;
  const parts = [`${count('user')} users`, `${s.groups.size} groups`, `${count('role')} roles`, `${s.policies.size} policies`];
  if (s.scps.length) parts.push(`${s.scps.length} SCPs`);
  if (s.credentialReport) parts.push(`credential report of ${s.credentialReport.rows.length} rows`);
  return parts.join(', ');
}
