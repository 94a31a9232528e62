import { errorText } from '../api/client';
import type { PanelStatus } from './define-store';

/** What every incident store keeps besides its data. */
export interface IncidentScoped {
  incidentId: string | null;
  status: PanelStatus;
  /** Why the last call failed; cleared when one succeeds. */
  error: string | null;
  /** The item the failure belongs to (a control, a signer), so the panel shows it there; null: the panel itself. */
  errorAt: string | null;
}

export const notOpened: IncidentScoped = { incidentId: null, status: 'loading', error: null, errorAt: null };

/**
 * The incident guard and status rules every incident store shares. An answer lands only while its incident is still
 * the open one (a late answer for incident A must not show while incident B is open). A call makes the status busy
 * (loading while there is nothing to show yet) and ends it ready, or error with the reason: never loading.
 */
export function incidentScope<S extends IncidentScoped>(set: (patch: Partial<S>) => void, get: () => S, blank: () => Partial<S>) {
  // Calls in flight for the open incident: the status is ready only when the last one has answered.
  let pending = 0;
  const patch = (p: Partial<IncidentScoped>) => p as Partial<S>;

  const call = async (id: string, fetch: () => Promise<Partial<S>>, at: string | null): Promise<boolean> => {
    pending += 1;
    if (get().status !== 'loading') set(patch({ status: 'busy' }));
    try {
      const answer = await fetch();
      if (get().incidentId !== id) return false;
      pending -= 1;
      set({ ...answer, ...patch({ status: pending > 0 ? 'busy' : 'ready', error: null, errorAt: null }) });
      return true;
    } catch (e) {
      if (get().incidentId !== id) return false;
      pending -= 1;
      set(patch({ status: 'error', error: errorText(e), errorAt: at }));
      return false;
    }
  };

  return {
    /** Sets state only if `id` is still the open incident. */
    forIncident: (id: string) => (p: Partial<S>) => {
      if (get().incidentId === id) set(p);
    },
    /** Opens `id` (dropping another incident's data) and loads it; false when the load failed or was overtaken. */
    load(id: string, fetch: () => Promise<Partial<S>>): Promise<boolean> {
      if (get().incidentId !== id) {
        pending = 0;
        set({ ...blank(), ...patch({ incidentId: id, status: 'loading', error: null, errorAt: null }) });
      }
      return call(id, fetch, null);
    },
    /** A change or a check on the open incident; `at` names the item whose failure it would be. */
    act(fetch: (incidentId: string) => Promise<Partial<S>>, at: string | null = null): Promise<boolean> {
      const id = get().incidentId;
      return id ? call(id, () => fetch(id), at) : Promise.resolve(false);
    },
  };
}
