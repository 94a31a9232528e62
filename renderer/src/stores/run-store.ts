import type { ApiInput, ApiMethod, ApiOutput } from '../../../electron/shared/contract/index';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { api } from '../api/client';
import { isMutation } from '../api/mutations';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

/** The methods that answer with the run; of these, the contract's mutations are the changes a form may send. */
type RunMethod = { [M in ApiMethod]: ApiOutput<M> extends IncidentRun ? M : never }[ApiMethod];

interface RunState extends IncidentScoped {
  run: IncidentRun | null;
  /** The phase shown; defaults to the incident's current phase. */
  selectedPhase: string | null;
  load(id: string): Promise<void>;
  selectPhase(id: string): void;
  /** Sends a change; the returned run replaces the current one. Throws ApiCallError so forms can show it in place. */
  change<M extends RunMethod>(method: M, input: Omit<ApiInput<M>, 'id'>): Promise<IncidentRun>;
  /** Sample incidents only: puts the full backup back, so a compare matches again. */
  restoreSampleBackup(): Promise<string>;
}

export const useRun = defineStore<RunState>((set, get) => {
  const scope = incidentScope<RunState>(set, get, () => ({ run: null, selectedPhase: null }));
  return {
    ...notOpened,
    run: null,
    selectedPhase: null,
    async load(id) {
      await scope.load(id, async () => ({ run: await api('workflow.get', { id }) }));
    },
    selectPhase(id) {
      set({ selectedPhase: id });
    },
    async change(method, input) {
      const id = get().incidentId;
      if (!id) throw new Error('No incident is open.');
      if (!isMutation(method)) throw new Error(`${method} reads the run; it changes nothing.`);
      const run = (await api(method, { ...input, id } as ApiInput<typeof method>)) as IncidentRun;
      scope.forIncident(id)({ run });
      return run;
    },
    async restoreSampleBackup() {
      const id = get().incidentId;
      if (!id) throw new Error('No incident is open.');
      const { restored } = await api('sample.restoreBackup', { id });
      await get().load(id);
      return restored;
    },
  };
});

/** Evidence, validation and sign-off feed the run's gates: their stores refresh the run after a change, if it is open. */
export async function refreshRun(incidentId: string): Promise<void> {
  if (useRun.getState().incidentId === incidentId) await useRun.getState().load(incidentId);
}
