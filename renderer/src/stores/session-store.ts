import { create } from 'zustand';
import type { Operator, SessionInfo } from '../../../electron/shared/domain';
import { api, errorText } from '../api/client';

interface SessionState {
  info: SessionInfo | null;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  load(): Promise<void>;
  setOperator(op: Operator): Promise<void>;
}

export const useSession = create<SessionState>((set) => ({
  info: null,
  status: 'loading',
  error: null,
  async load() {
    try {
      set({ info: await api('session.get', {}), status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorText(e) });
    }
  },
  async setOperator(op) {
    const operator = await api('session.setOperator', op);
    set((s) => ({ info: s.info ? { ...s.info, operator } : s.info }));
  },
}));
