import type { Operator, SessionInfo } from '../../../electron/shared/domain';
import { api, errorText } from '../api/client';
import { defineStore, type PanelStatus } from './define-store';

interface SessionState {
  info: SessionInfo | null;
  /** The session itself: error means Firebreak did not answer. */
  status: Exclude<PanelStatus, 'busy'>;
  error: string | null;
  /** Saying who is working (the operator screen). */
  operatorStatus: Exclude<PanelStatus, 'loading'>;
  operatorError: string | null;
  load(): Promise<void>;
  setOperator(op: Operator): Promise<void>;
}

export const useSession = defineStore<SessionState>((set) => ({
  info: null,
  status: 'loading',
  error: null,
  operatorStatus: 'ready',
  operatorError: null,
  async load() {
    try {
      set({ info: await api('session.get', {}), status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorText(e) });
    }
  },
  async setOperator(op) {
    set({ operatorStatus: 'busy', operatorError: null });
    try {
      const operator = await api('session.setOperator', op);
      set((s) => ({ info: s.info ? { ...s.info, operator } : s.info, operatorStatus: 'ready' }));
    } catch (e) {
      set({ operatorStatus: 'error', operatorError: errorText(e) });
    }
  },
}));
