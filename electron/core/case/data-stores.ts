import { filledOrNull } from '../../shared/playbook/fill-text';
import type { StoreValidation } from '../../shared/signoff';
import type { IncidentRun } from '../../shared/workflow';
import type { ValidationRun } from '../../shared/validation';
import type { Db } from '../store/database';
import { type StoreIdentity, storeIdentity } from '../validation/adapters/store-identity';
import { DataStoresRepository } from '../validation/data-stores-repository';
import { ValidationRunRepository } from '../validation/runs/runs-repository';

/** `{{name}}` filled from the parameters; null while one is unset (the step names no store yet). */
export function renderedTarget(template: string, params: Readonly<Record<string, string>>): string | null {
  return filledOrNull(template, params);
}

export interface AffectedStore extends StoreIdentity {
  /**
   * Why it counts: the operator declared it, a playbook parameter a compare step validates names it, it was compared,
   * or it was baselined and no compare has used that baseline.
   */
  because: Array<'declared' | 'parameter' | 'compared' | 'baselined'>;
}

/**
 * The data stores the incident must prove restored, in the order they became known: those the operator declared, the
 * targets of the playbook's compare steps (from the parameters), every store compared, and every baselined store no
 * compare has used yet (a baseline says the store matters; until something is compared against it, nothing proves that
 * store whole).
 */
export function affectedStores(db: Db, run: IncidentRun): AffectedStore[] {
  const out = new Map<string, AffectedStore>();
  const add = (target: string | null, because: AffectedStore['because'][number]) => {
    if (!target) return;
    const id = storeIdentity(target);
    const hit = out.get(id.key);
    if (hit) {
      if (!hit.because.includes(because)) hit.because.push(because);
    } else out.set(id.key, { ...id, because: [because] });
  };
  for (const s of new DataStoresRepository(db).list(run.incident.id)) {
    if (!out.has(s.key)) out.set(s.key, { key: s.key, label: s.label, because: ['declared'] });
  }
  for (const phase of run.playbook.phases) {
    for (const step of phase.steps) {
      const state = run.steps[step.id];
      if (step.kind !== 'validation' || step.mode !== 'compare' || state?.hidden || state?.skipped) continue;
      add(renderedTarget(step.target, run.incident.params), 'parameter');
    }
  }
  const runs = new ValidationRunRepository(db).list(run.incident.id).reverse();
  const used = new Set(runs.flatMap((r) => (r.kind === 'compare' && r.baselineRunId ? [r.baselineRunId] : [])));
  for (const r of runs) {
    if (r.kind === 'compare') add(r.target, 'compared');
    else if ((r.kind === 'baseline' || r.kind === 'import') && r.status === 'done' && !used.has(r.id)) add(r.target, 'baselined');
  }
  return [...out.values()];
}

/** The newest compare of each store (started last: its snapshot is the latest), or null when none was started. */
export function newestCompareOf(db: Db, incidentId: string, stores: readonly StoreIdentity[]): Map<string, ValidationRun | null> {
  const compares = new ValidationRunRepository(db).list(incidentId, 'compare');
  return new Map(stores.map((s) => [s.key, compares.find((r) => r.target !== null && storeIdentity(r.target).key === s.key) ?? null]));
}

export const storeOf = (s: StoreIdentity): StoreValidation['store'] => ({ key: s.key, label: s.label });
