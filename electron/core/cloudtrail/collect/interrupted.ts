import { hostname } from 'node:os';
import type { CoreContext } from '../../context';
import { isAlive } from '../../evidence/store';
import type { Actor } from '../../ledger/ledger';
import { inTransaction } from '../../store/transactions';
import { CollectionsRepository } from '../store/collections-repository';
import { loadIncidentRiskTable } from '../analyse/incident-risk-table';
import { AnalysisRunsRepository } from '../store/analysis-runs-repository';
import { incidentCloudTrail } from '../store/incident-context';
import { finishCollection } from './importer';
import { analyseIncident } from './incident-analysis';

/** Whether `owner` (host:pid) is a process of this machine that no longer exists. */
function orphanedHere(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  const pid = Number(owner.slice(at + 1));
  return owner.slice(0, at) === hostname() && Number.isInteger(pid) && !isAlive(pid);
}

/**
 * A pull or import whose process died (killed, power cut) stays 'running' forever unless someone says otherwise. At
 * start-up, one owned by a process of this machine that no longer exists is marked interrupted, with its ledger entry;
 * a pull so marked still resumes when the same command runs again. One owned by another machine is left alone: whether
 * that process lives cannot be told from here.
 */
export function markInterruptedCollections(ctx: CoreContext, actor: Actor): string[] {
  const repo = new CollectionsRepository(ctx.db);
  const orphaned = (owner: string | null) => owner === null || orphanedHere(owner);
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

/**
 * An analysis whose process died between its batches leaves the incident 'analysing': attribution and burst marks part
 * old, part new. At start-up, one owned by a process of this machine that no longer exists is run again from the
 * start (every batch is idempotent), which completes it and marks it done, with its ledger entries; readers meanwhile
 * say it is not final. One owned by another machine is left alone, as for collections.
 */
export function resumeInterruptedAnalyses(ctx: CoreContext, actor: Actor): string[] {
  const runs = new AnalysisRunsRepository(ctx.db);
  const resumed: string[] = [];
  for (const run of runs.running().filter((r) => orphanedHere(r.owner))) {
    const info = incidentCloudTrail(ctx, run.incidentId);
    analyseIncident(ctx, info, loadIncidentRiskTable(ctx.resourcesDir), actor, `resumed after an interruption (${run.subject})`);
    resumed.push(run.incidentId);
  }
  return resumed;
}
