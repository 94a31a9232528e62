import type { AgentMatchField } from '../../../shared/cloudtrail';
import type { Identity } from './normalize';

export interface AgentMatch {
  /** Index of the identity in the list given. */
  index: number;
  identity: string;
  field: AgentMatchField;
}

export interface AgentMatcher {
  readonly identities: readonly string[];
  match(id: Identity): AgentMatch | null;
}

const ACCESS_KEY = /^(AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}$/;

interface Spec {
  index: number;
  raw: string;
  arn: string | null;
  /** For role ARNs: the assumed-role prefix its sessions carry, arn:aws:sts::ACCT:assumed-role/NAME/ */
  sessionPrefix: string | null;
  name: string | null;
  accessKey: string | null;
}

function compileSpec(raw: string, index: number): Spec {
  const s = raw.trim();
  if (s.startsWith('arn:')) {
    // arn:PARTITION:iam::ACCT:role/path/NAME -> sessions appear as arn:PARTITION:sts::ACCT:assumed-role/NAME/SESSION
    const m = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(s);
    const assumed = /^arn:([^:]+):sts::(\d*):assumed-role\/([^/]+)\/?$/.exec(s);
    const sessionPrefix = m
      ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`
      : assumed
        ? `arn:${assumed[1]}:sts::${assumed[2]}:assumed-role/${assumed[3]}/`
        : null;
    return { index, raw, arn: s, sessionPrefix, name: null, accessKey: null };
  }
  return { index, raw, arn: null, sessionPrefix: null, name: s.toLowerCase(), accessKey: ACCESS_KEY.test(s) ? s : null };
}

const eqName = (a: string | null, name: string) => a !== null && a.toLowerCase() === name;

function matchSpec(sp: Spec, id: Identity): AgentMatchField | null {
  if (sp.arn) {
    if (id.arn === sp.arn) return 'arn';
    if (id.issuerArn === sp.arn) return 'sessionIssuer';
    if (sp.sessionPrefix && id.arn?.startsWith(sp.sessionPrefix)) return 'sessionIssuer';
    return null;
  }
  if (sp.accessKey) return id.accessKeyId === sp.accessKey ? 'accessKeyId' : null;
  const name = sp.name as string;
  if (eqName(id.issuerName, name)) return 'sessionIssuer';
  if (eqName(id.userName, name)) return 'userName';
  if (eqName(id.sessionName, name)) return 'sessionName';
  if (eqName(id.sourceIdentity, name)) return 'sourceIdentity';
  return null;
}

/**
 * When several agent values name one caller (its role ARN, the role's name, a session name), the call goes to the
 * broadest: the role (session issuer) before the user, the exact ARN, the access key, the session and the source
 * identity. Every session of a role then lands on the role's value, so one actor makes one blast-radius card, whatever
 * order the values were given in.
 */
const BREADTH: Record<AgentMatchField, number> = { sessionIssuer: 0, userName: 1, arn: 2, accessKeyId: 3, sessionName: 4, sourceIdentity: 5 };

/**
 * Matches calls to the incident's agent identities. An identity is an ARN (a user, a role, whose sessions then match
 * through sessionContext.sessionIssuer or the assumed-role ARN, or a session) or a name: a role or user name, the session
 * name carried in principalId, a sourceIdentity, or an access key id. Names compare case-insensitively, as IAM names do.
 */
export function agentMatcher(identities: readonly string[]): AgentMatcher {
  const specs = identities.map(compileSpec).filter((s) => s.raw.trim().length > 0);
  const cache = new Map<string, AgentMatch | null>();
  return {
    identities,
    match(id) {
      if (specs.length === 0) return null;
      const key = `${id.arn}|${id.issuerArn}|${id.principalId}|${id.userName}|${id.accessKeyId}|${id.sourceIdentity}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      let found: AgentMatch | null = null;
      for (const sp of specs) {
        const field = matchSpec(sp, id);
        if (field && (!found || BREADTH[field] < BREADTH[found.field])) found = { index: sp.index, identity: sp.raw, field };
      }
      if (cache.size > 100_000) cache.clear();
      cache.set(key, found);
      return found;
    },
  };
}

/** Splits free text (a parameter value, a CLI list) into identities: commas, whitespace and new lines separate them. */
export const splitIdentities = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
