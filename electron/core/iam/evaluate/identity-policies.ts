/** The policy sets of one identity in a snapshot: its own and its groups' policies, its boundary, the SCPs. */
import { notFound } from '../../errors';
import { type IamSnapshot, type IdentityRecord, missingDocuments } from '../sources/snapshot';
import type { PolicySets } from './effective';
import { statementsOf } from './statements';

/** An identity by ARN, by name, or by the assumed-role ARN of one of its sessions. */
export function findIdentity(s: IamSnapshot, wanted: string): IdentityRecord {
  const assumed = /^arn:[^:]+:sts::\d*:assumed-role\/([^/]+)/.exec(wanted);
  const all = [...s.identities.values()];
  const hit = all.find((i) => i.arn === wanted) ?? all.find((i) => i.name === (assumed ? assumed[1] : wanted));
  if (!hit) {
    const sample = all.slice(0, 8).map((i) => i.arn);
    throw notFound(`The IAM snapshot has no identity ${wanted}${sample.length ? `; it has ${all.length}, e.g. ${sample.join(', ')}` : ': it holds no roles or users'}.`);
  }
  return hit;
}

export function policySetsOf(s: IamSnapshot, id: IdentityRecord): { sets: PolicySets; missing: string[] } {
  const identity = id.inline.flatMap((p) => statementsOf(p.document, `inline policy ${p.name} of ${id.kind} ${id.name}`));
  const managed = (arn: string) => {
    const p = s.policies.get(arn);
    return p?.document ? statementsOf(p.document, `policy ${arn}`) : [];
  };
  identity.push(...id.attached.flatMap(managed));
  for (const name of id.groups) {
    const g = s.groups.get(name);
    if (!g) continue;
    identity.push(...g.inline.flatMap((p) => statementsOf(p.document, `inline policy ${p.name} of group ${g.name}`)), ...g.attached.flatMap(managed));
  }
  const boundaryDoc = id.boundary ? s.policies.get(id.boundary)?.document : null;
  // A boundary whose document is missing is named in `missing`; it is left out rather than guessed.
  const boundary = id.boundary && boundaryDoc ? statementsOf(boundaryDoc, `permissions boundary ${id.boundary}`) : null;
  const scps = s.scps.map((p) => statementsOf(p.document, `SCP ${p.name}`));
  return { sets: { identity, boundary, scps }, missing: missingDocuments(s, id) };
}
