import type { BlastRadius } from '../../../shared/cloudtrail';
import { type AgentMatcher, agentMatcher } from '../import/agents';
import type { Identity } from '../import/normalize';

const ASSUMED_ROLE = /^arn:([^:]+):sts::(\d*):assumed-role\/([^/]+)\/(.+)$/;
const IAM_USER = /^arn:[^:]+:iam::\d*:user\/(?:.*\/)?([^/]+)$/;

/**
 * The identity a principal key stands for, as far as the key tells: an assumed-role ARN carries its role and session,
 * a user ARN its name; an Azure or GCP caller's key is its id (app id, object id, principal email).
 */
export function identityOfPrincipal(key: string): Identity {
  const id: Identity = { type: null, arn: null, principalId: null, accountId: null, accessKeyId: null, userName: null, issuerArn: null, issuerName: null, sessionName: null, sourceIdentity: null, invokedBy: null };
  const role = ASSUMED_ROLE.exec(key);
  if (role) return { ...id, arn: key, accountId: role[2] ?? null, issuerArn: `arn:${role[1]}:iam::${role[2]}:role/${role[3]}`, issuerName: role[3] ?? null, sessionName: role[4] ?? null };
  const user = IAM_USER.exec(key);
  if (user) return { ...id, arn: key, userName: user[1] ?? null };
  if (key.startsWith('arn:')) return { ...id, arn: key };
  return { ...id, userName: key };
}

export interface AgentCards {
  /** One card per actor that made calls; the other agent values naming that actor are its `aliases`. */
  agents: BlastRadius[];
  /** Agent values that matched no call at all, said once. */
  unmatchedAgents: string[];
}

/**
 * One blast-radius card per actor. A value that drew no calls because a broader value of the same actor took them (the
 * role's name beside its ARN, a session name) joins that actor's card as an alias; a value that matches none of the
 * callers is listed once as unmatched, not shown as an empty card.
 */
export function agentCards(cards: readonly BlastRadius[]): AgentCards {
  const withCalls = cards.filter((c) => c.calls > 0).map((c) => ({ ...c, aliases: [...(c.aliases ?? [])] }));
  const unmatchedAgents: string[] = [];
  for (const empty of cards.filter((c) => c.calls === 0)) {
    const matcher: AgentMatcher = agentMatcher([empty.agentIdentity]);
    const owner = withCalls.find((c) => c.principals.some((p) => matcher.match(identityOfPrincipal(p)) !== null));
    if (owner) owner.aliases.push(empty.agentIdentity);
    else unmatchedAgents.push(empty.agentIdentity);
  }
  return { agents: withCalls, unmatchedAgents };
}
