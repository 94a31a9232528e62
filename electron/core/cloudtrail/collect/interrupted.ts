import { hostname } from 'node:os';
import type { CoreContext } from '../../context';
import { isAlive } from '../../evidence/store';
import type { Actor } from '../../ledger/ledger';
import { inTransaction } from '../../store/transactions';
import { CollectionsRepository } from '../store/collections-repository';
import { finishCollection } from './importer';

/**
 * A pull or import whose process died (killed, power cut) stays 'running' forever unless someone says otherwise. At
 * start-up, one owned by a process of this machine that no longer exists is marked interrupted, with its ledger entry;
 * a pull so marked still resumes when the same command runs again. One owned by another machine is left alone: whether
 * that process lives cannot be told from here.
 */
export function markInterruptedCollections(ctx: CoreContext, actor: Actor): string[] {
  const repo = new CollectionsRepository(ctx.db);
  const here = hostname();
  const orphaned = (owner: string | null) => {
    if (owner === null) return true;
    const at = owner.lastIndexOf(':');
    const pid = Number(owner.slice(at + 1));
    return owner.slice(0, at) === here && Number.isInteger(pid) && !isAlive(pid);
  };
  const marked: string[] = [];
  for (const c of repo.running().filter((r) => orphaned(r.owner))) {
    // Looked at again under the write lock: a live process may have resumed it since.
    inTransaction(ctx.db, () => {
      const now = repo.running().find((r) => r.id === c.id);
      if (!now || now.owner !== c.owner) return;
      finishCollection(ctx, actor, now.incidentId, now.id, 'interrupted');
      marked.push(now.id);
    });
  }
  return marked;
}
