import { checkpointOutcomeLines } from '../../../electron/shared/checkpoints';
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
  /** What the last phase close said about the ledger checkpoint signed after it (shown until the next change). */
  closeNote: { phaseId: string; lines: string[] } | null;
  load(id: string): Promise<void>;
  selectPhase(id: string): void;
  /** Sends a change; the returned run replaces the current one. Throws ApiCallError so forms can show it in place. */
  change<M extends RunMethod>(method: M, input: Omit<ApiInput<M>, 'id'>): Promise<ApiOutput<M>>;
  /** Closes a phase (with an override when given) and keeps what its checkpoint says. */
  closePhase(phaseId: ApiInput<'workflow.closePhase'>['phaseId'], override?: string): Promise<void>;
  /** Sample incidents only: puts the full backup back, so a compare matches again. */
  restoreSampleBackup(): Promise<string>;
}

export const useRun = defineStore<RunState>((set, get) => {
  const scope = incidentScope<RunState>(set, get, () => ({ run: null, selectedPhase: null, closeNote: null }));
  return {
    ...notOpened,
    run: null,
    selectedPhase: null,
    closeNote: null,
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
      const out = await api(method, { ...input, id } as ApiInput<typeof method>);
      // A close's note stands until the next change (closePhase sets it again after its own).
      scope.forIncident(id)({ run: out as IncidentRun, closeNote: null });
      return out;
    },
    async closePhase(phaseId, override) {
      const id = get().incidentId;
      const r = await get().change('workflow.closePhase', { phaseId, ...(override ? { override } : {}) });
      const lines = r.checkpoint ? checkpointOutcomeLines(r.checkpoint) : r.checkpointProblem ? [r.checkpointProblem] : [];
      if (id) scope.forIncident(id)({ closeNote: { phaseId, lines } });
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
