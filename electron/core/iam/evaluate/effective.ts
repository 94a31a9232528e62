/**
 * What an identity could do, worked out offline the way IAM decides a request within one account: an explicit Deny in
 * any policy wins; otherwise the identity policies must allow it, and so must the permissions boundary (when there is
 * one) and every service control policy given. Conditions are not evaluated: an action allowed only under a condition,
 * or denied under one, is reported with the condition as written. Resources are kept as the patterns the policies name.
 */
import type { ActionCatalogue, CatalogueAction } from './catalogue';
import { catalogueAction } from './catalogue';
import { type Statement, coversAllResources, matchesResource, resourceScope, statementMatchesAction } from './statements';

export interface PolicySets {
  /** Inline, attached managed and group policies of the identity. */
  identity: Statement[];
  /** The permissions boundary's statements, or null when there is none. */
  boundary: Statement[] | null;
  /** Each SCP on its own: every one must allow. */
  scps: Statement[][];
}

export interface EffectiveAction {
  action: CatalogueAction;
  /** Empty when the grant is unconditional; each entry "allowed when ..." or "denied when ...". */
  conditions: string[];
  /** Resource patterns it is granted on ("*" for all). */
  resources: string[];
  /** Resources an unconditional Deny takes out of the grant. */
  deniedOn: string[];
}

export interface EffectivePermissions {
  granted: EffectiveAction[];
  /** Actions an identity policy allows that an unconditional Deny on every resource removes, with the policy that denies. */
  deniedExplicitly: Array<{ action: string; by: string }>;
  /** Actions the boundary or an SCP keeps out although an identity policy allows them. */
  outsideBoundary: number;
  outsideScps: number;
}

const allowsOf = (set: Statement[], action: string) => set.filter((s) => s.effect === 'Allow' && statementMatchesAction(s, action));

/** The resources a set of matching Allow statements grants, preferring unconditional statements, and its condition if all are conditional. */
function grantOf(allows: Statement[]): { resources: string[]; condition: string | null } {
  const plain = allows.filter((s) => s.condition === null);
  const used = plain.length ? plain : allows;
  const resources = [...new Set(used.flatMap(resourceScope))];
  const condition = plain.length ? null : [...new Set(allows.map((s) => s.condition as string))].join(' or ');
  return { resources, condition };
}

/** Resource patterns both sides allow, where one side is "*" or a pattern of one side covers a pattern of the other. */
export function intersectResources(a: string[], b: string[]): string[] {
  if (a.includes('*')) return b;
  if (b.includes('*')) return a;
  const keep = [...a.filter((x) => b.some((p) => matchesResource(p, x))), ...b.filter((y) => a.some((p) => matchesResource(p, y)))];
  return [...new Set(keep)];
}

/** Actions worth testing: those of the services the Allow statements can reach, and literal names the catalogue lacks. */
function candidates(sets: PolicySets, catalogue: ActionCatalogue): CatalogueAction[] {
  const allows = sets.identity.filter((s) => s.effect === 'Allow');
  if (allows.some((s) => s.actions.serviceHint === null)) return [...catalogue.actions, ...unknownLiterals(allows, catalogue)];
  const services = new Set(allows.flatMap((s) => [...(s.actions.serviceHint ?? [])]));
  const known = [...services].flatMap((svc) => catalogue.byService.get(svc) ?? []);
  return [...known, ...unknownLiterals(allows, catalogue)];
}

function unknownLiterals(allows: Statement[], catalogue: ActionCatalogue): CatalogueAction[] {
  const out = new Map<string, CatalogueAction>();
  for (const s of allows) {
    if (s.actions.not) continue;
    for (const p of s.actions.patterns) {
      const colon = p.indexOf(':');
      if (colon <= 0 || /[*?]/.test(p) || catalogue.find(p)) continue;
      // Not in the catalogue: classify by its name alone, as a write unless its verb says it only reads.
      const name = p.slice(colon + 1);
      const level = /^(Get|Describe|List|Head|Query|Scan|Search|Select|Lookup|View)/.test(name) ? 'Read' : 'Write';
      out.set(p.toLowerCase(), catalogueAction(p.slice(0, colon).toLowerCase(), name, level));
    }
  }
  return [...out.values()];
}

export function effectivePermissions(sets: PolicySets, catalogue: ActionCatalogue): EffectivePermissions {
  const denies = [...sets.identity, ...(sets.boundary ?? []), ...sets.scps.flat()].filter((s) => s.effect === 'Deny');
  const result: EffectivePermissions = { granted: [], deniedExplicitly: [], outsideBoundary: 0, outsideScps: 0 };
  for (const action of candidates(sets, catalogue)) {
    const key = action.key;
    const allows = allowsOf(sets.identity, key);
    if (allows.length === 0) continue;
    const grant = grantOf(allows);
    let resources = grant.resources;
    const condition = grant.condition;
    const conditions = condition ? [`allowed when ${condition}`] : [];
    if (sets.boundary) {
      const b = allowsOf(sets.boundary, key);
      if (b.length === 0) {
        result.outsideBoundary++;
        continue;
      }
      const g = grantOf(b);
      resources = intersectResources(resources, g.resources);
      if (g.condition) conditions.push(`the boundary allows it when ${g.condition}`);
    }
    let outside = false;
    for (const scp of sets.scps) {
      const s = allowsOf(scp, key);
      if (s.length === 0) {
        outside = true;
        break;
      }
      const g = grantOf(s);
      resources = intersectResources(resources, g.resources);
      if (g.condition) conditions.push(`an SCP allows it when ${g.condition}`);
    }
    if (outside) {
      result.outsideScps++;
      continue;
    }
    const matching = denies.filter((d) => statementMatchesAction(d, key));
    const total = matching.find((d) => d.condition === null && coversAllResources(d));
    if (total) {
      result.deniedExplicitly.push({ action: key, by: total.source });
      continue;
    }
    const deniedOn = [...new Set(matching.filter((d) => d.condition === null).flatMap(resourceScope))];
    for (const d of matching) if (d.condition !== null) conditions.push(`denied when ${d.condition} (${d.source})`);
    if (resources.length === 0) continue;
    result.granted.push({ action, conditions, resources, deniedOn });
  }
  result.granted.sort((a, b) => (a.action.key < b.action.key ? -1 : 1));
  return result;
}
