/**
 * Least privilege drafted from evidence: a policy of the explicit actions the agent called successfully, minus the
 * destructive ones, scoped to the ARNs its calls named; and a permissions boundary that allows only the services it
 * used and denies their destructive verbs. The commands that apply them are filled in. A draft for a human to review,
 * never applied by Firebreak.
 */
import type { LeastPrivilegeDraft } from '../../../shared/iam';
import type { ActionCatalogue } from '../evaluate/catalogue';
import { type ObservedCall, actionOfEvent } from './calls';

/** The verbs the catalogue's destructive class starts with, for the boundary's Deny as service-wide patterns. */
const DESTRUCTIVE_VERBS = ['Delete', 'Terminate', 'Purge', 'Drop', 'Destroy', 'Remove', 'Detach', 'Disable', 'Deregister', 'Revoke', 'Stop', 'Cancel', 'Truncate', 'Disassociate', 'ScheduleKeyDeletion', 'StartSecretVersionDelete'];

/** How a draft's evidence item is described; the report finds an identity's drafts by it. */
export const LEAST_PRIVILEGE_DRAFT = 'Least-privilege draft for';

const shellQuote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;

export function draftLeastPrivilege(identity: string, calls: readonly ObservedCall[], catalogue: ActionCatalogue): Omit<LeastPrivilegeDraft, 'evidenceId'> {
  const byAction = new Map<string, Set<string>>();
  const leftOut = new Set<string>();
  for (const c of calls) {
    if (c.errorCode !== null) continue;
    const action = actionOfEvent(c.eventSource, c.eventName, catalogue);
    const known = catalogue.find(action);
    if (known?.destructive) {
      leftOut.add(action);
      continue;
    }
    const set = byAction.get(action) ?? new Set<string>();
    for (const r of c.resources) if (r.startsWith('arn:')) set.add(r);
    byAction.set(action, set);
  }
  // One statement per distinct resource set keeps the policy short and each grant's scope readable.
  const groups = new Map<string, { actions: string[]; resources: string[] }>();
  const wildcardResources: string[] = [];
  for (const [action, arns] of [...byAction.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const resources = arns.size ? [...arns].sort() : ['*'];
    if (!arns.size) wildcardResources.push(action);
    const key = resources.join('\n');
    const g = groups.get(key) ?? { actions: [], resources };
    g.actions.push(action);
    groups.set(key, g);
  }
  const policy = {
    Version: '2012-10-17',
    Statement: [...groups.values()].map((g, i) => ({ Sid: `Observed${i + 1}`, Effect: 'Allow', Action: g.actions, Resource: g.resources })),
  };
  const services = [...new Set([...byAction.keys(), ...leftOut].map((a) => a.slice(0, a.indexOf(':'))))].sort();
  const boundary = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OnlyServicesUsed', Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: '*' },
      { Sid: 'NoDestructiveActions', Effect: 'Deny', Action: services.flatMap((s) => DESTRUCTIVE_VERBS.map((v) => `${s}:${v}*`)), Resource: '*' },
    ],
  };
  const m = /^arn:([^:]+):iam::(\d+):(role|user)\/(?:.*\/)?([^/]+)$/.exec(identity);
  const [partition, account, kind, name] = m ? [m[1], m[2], m[3], m[4]] : ['aws', 'ACCOUNT_ID', 'role', identity];
  const Kind = kind === 'user' ? 'user' : 'role';
  const boundaryName = `${name}-firebreak-boundary`;
  const commands = [
    `aws iam put-${Kind}-policy --${Kind}-name ${name} --policy-name ${name}-least-privilege --policy-document ${shellQuote(JSON.stringify(policy))}`,
    `aws iam create-policy --policy-name ${boundaryName} --policy-document ${shellQuote(JSON.stringify(boundary))}`,
    `aws iam put-${Kind}-permissions-boundary --${Kind}-name ${name} --permissions-boundary arn:${partition}:iam::${account}:policy/${boundaryName}`,
  ];
  return { identity, policy, boundary, commands, wildcardResources, leftOut: [...leftOut].sort() };
}
