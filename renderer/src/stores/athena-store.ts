import type { AthenaPlan, AthenaRunResult } from '../../../electron/shared/athena';
import type { ApiInput } from '../../../electron/shared/contract/index';
import { api, errorText } from '../api/client';
import { cancelOperation, newOperationId, watchOperation } from '../api/operations';
import { type PanelStatus, defineStore } from './define-store';
import { useCloudTrail } from './cloudtrail-store';
import { refreshRun } from './run-store';

export type AthenaForm = Omit<ApiInput<'athena.plan'>, 'incidentId'> & { endpoint?: string; profile?: string };

interface AthenaState {
  status: PanelStatus;
  error: string | null;
  /** The estimate and SQL for the form as it was when asked; running needs one. */
  plan: AthenaPlan | null;
  running: { operationId: string; progress: string | null } | null;
  result: AthenaRunResult | null;
  estimate(incidentId: string, form: AthenaForm): Promise<void>;
  run(incidentId: string, form: AthenaForm): Promise<void>;
  cancel(): Promise<void>;
  /** A changed form needs a new estimate before it may run. */
  forget(): void;
}

/** "Query in Athena": the estimate first, then the run with its progress and cancel; nothing runs without an estimate. */
export const useAthena = defineStore<AthenaState>((set, get) => ({
  status: 'ready',
  error: null,
  plan: null,
  running: null,
  result: null,
  async estimate(incidentId, { endpoint: _e, profile: _p, ...form }) {
    set({ status: 'busy', error: null, result: null });
    try {
      set({ plan: await api('athena.plan', { ...form, incidentId }), status: 'ready' });
    } catch (e) {
      set({ status: 'error', error: errorText(e), plan: null });
    }
  },
  async run(incidentId, form) {
    if (!get().plan) return;
    const operationId = newOperationId('athena');
    set({ status: 'busy', error: null, running: { operationId, progress: null } });
    const stop = watchOperation(incidentId, 'athena.run', operationId, (progress) => set({ running: { operationId, progress } }));
    try {
      const result = await api('athena.run', { ...form, incidentId, confirm: true, operationId });
      set({ result, status: 'ready' });
      await Promise.all([refreshRun(incidentId), useCloudTrail.getState().load(incidentId)]);
    } catch (e) {
      set({ status: 'error', error: errorText(e) });
    } finally {
      stop();
      set({ running: null });
    }
  },
  async cancel() {
    const running = get().running;
    if (running) await cancelOperation(running.operationId);
  },
  forget() {
    set({ plan: null });
  },
}));
