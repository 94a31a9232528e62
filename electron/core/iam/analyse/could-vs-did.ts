/** Could versus did: the identity's effective permissions set against the calls the logs show it made. */
import type { DeniedCall, IamAnalysis, LastAccessedFact } from '../../../shared/iam';
import type { ActionCatalogue } from '../evaluate/catalogue';
import { effectivePermissions } from '../evaluate/effective';
import { findIdentity, policySetsOf } from '../evaluate/identity-policies';
import type { IamSnapshot } from '../sources/snapshot';
import { type ObservedCall, actionOfEvent, isDenied } from './calls';

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Last access of each service an unused action belongs to, as IAM reported it; IAM names services by namespace, as actions do. */
function lastAccessedOf(byService: ReadonlyMap<string, string | null> | undefined, unused: readonly string[]): LastAccessedFact[] {
  if (!byService) return [];
  const seen = new Map([...byService].map(([k, v]) => [k.toLowerCase(), v]));
  const services = sorted(unused.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()));
  return services.filter((s) => seen.has(s)).map((service) => ({ service, lastAuthenticated: seen.get(service) ?? null }));
}

export function couldVersusDid(snapshot: IamSnapshot, identity: string, calls: readonly ObservedCall[], catalogue: ActionCatalogue): IamAnalysis {
  const id = findIdentity(snapshot, identity);
  const { sets, missing } = policySetsOf(snapshot, id);
  const could = effectivePermissions(sets, catalogue);
  const granted = new Map(could.granted.map((g) => [g.action.key.toLowerCase(), g]));

  const used = new Set<string>();
  const denied = new Map<string, DeniedCall>();
  for (const c of calls) {
    const action = actionOfEvent(c.eventSource, c.eventName, catalogue);
    if (isDenied(c.errorCode)) {
      const key = `${action}|${c.errorCode}`;
      const d = denied.get(key);
      if (d) {
        d.calls++;
        if (c.eventTime < d.first) d.first = c.eventTime;
        if (c.eventTime > d.last) d.last = c.eventTime;
      } else denied.set(key, { action, errorCode: c.errorCode as string, calls: 1, first: c.eventTime, last: c.eventTime });
      continue;
    }
    used.add(action);
  }
  const destructive = (key: string) => granted.get(key.toLowerCase())?.action.destructive ?? catalogue.find(key)?.destructive ?? false;
  const usedLower = new Set([...used].map((u) => u.toLowerCase()));
  const unused = could.granted.filter((g) => !usedLower.has(g.action.key.toLowerCase())).map((g) => g.action.key);
  return {
    identity: id.arn,
    granted: { destructive: could.granted.filter((g) => g.action.destructive).map((g) => g.action.key), all: could.granted.length },
    used: { destructive: sorted([...used].filter(destructive)), all: sorted(used) },
    unused,
    unusedLastAccessed: lastAccessedOf(snapshot.lastAccessed.get(id.arn), unused),
    denied: [...denied.values()].sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0)),
    conditional: could.granted.filter((g) => g.conditions.length).map((g) => ({ action: g.action.key, condition: `conditional: ${g.conditions.join('; ')}` })),
    missingPolicies: missing,
    boundary: id.boundary,
    scps: snapshot.scps.length,
    calls: calls.length,
    usedButNotGranted: sorted([...used].filter((u) => !granted.has(u.toLowerCase()))),
    catalogue: catalogue.version,
  };
}
