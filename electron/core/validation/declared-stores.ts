import type { ApiHandlers } from '../../shared/contract/index';
import type { DeclaredStore } from '../../shared/validation';
import type { CoreContext } from '../context';
import { badInput, notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { type StoreIdentity, storeIdentity } from './adapters/store-identity';
import { parseTargetUrl } from './adapters/target-url';
import { DataStoresRepository } from './data-stores-repository';

/** A URL's store identity; bad input saying what is wrong with it when it names no database. */
function identityOf(url: string): StoreIdentity {
  // Parsed for its message only: no environment, nothing connects.
  parseTargetUrl(url, { env: {} });
  return storeIdentity(url);
}

/** The explicit list of an incident's affected data stores: read it, add to it, remove from it (ledgered). */
export function declaredStoreHandlers(ctx: CoreContext): Pick<ApiHandlers, 'validation.stores' | 'validation.setStores'> {
  const repo = new DataStoresRepository(ctx.db);
  const incidents = new IncidentRepository(ctx.db);
  const known = (id: string) => {
    if (!incidents.get(id)) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
  };
  return {
    'validation.stores': ({ incidentId }) => {
      known(incidentId);
      return repo.list(incidentId);
    },
    'validation.setStores': ({ incidentId, add, remove }) => {
      known(incidentId);
      const actor = ctx.human();
      const adding = add.map(identityOf);
      const removing = remove.map(identityOf);
      const clash = adding.find((a) => removing.some((r) => r.key === a.key));
      if (clash) throw badInput(`${clash.label} is both added and removed: give it once.`);
      ctx.change(
        actor,
        ({ added, removed }) => (added.length + removed.length ? { scope: incidentId, action: 'data-stores.changed', subject: incidentId, payload: { added, removed } } : null),
        () => {
          const current = new Map(repo.list(incidentId).map((s) => [s.key, s]));
          const removed: string[] = [];
          for (const r of removing) {
            const hit = current.get(r.key);
            if (!hit) {
              throw badInput(`${r.label} is not declared for ${incidentId}, so it cannot be removed.`, [
                `Declared: ${[...current.values()].map((s) => s.label).join(', ') || 'none'}`,
              ]);
            }
            repo.remove(incidentId, r.key);
            current.delete(r.key);
            removed.push(hit.label);
          }
          const added: string[] = [];
          for (const a of adding) {
            if (current.has(a.key)) continue;
            const store: DeclaredStore = { key: a.key, label: a.label, addedAt: ctx.now().toISOString(), addedBy: { name: actor.name, role: actor.role } };
            repo.add(incidentId, store);
            current.set(a.key, store);
            added.push(a.label);
          }
          return { added, removed };
        },
      );
      return repo.list(incidentId);
    },
  };
}
