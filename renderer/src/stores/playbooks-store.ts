import { create } from 'zustand';
import type { PlaybookSummary } from '../../../electron/shared/domain';
import type { PlaybookDetail, RejectedPlaybookFile } from '../../../electron/shared/playbook/types';
import { api, errorText } from '../api/client';

interface PlaybooksState {
  list: PlaybookSummary[];
  rejected: RejectedPlaybookFile[];
  detail: PlaybookDetail | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadList(): Promise<void>;
  loadDetail(id: string): Promise<void>;
}

export const usePlaybooks = create<PlaybooksState>((set, get) => ({
  list: [],
  rejected: [],
  detail: null,
  status: 'idle',
  error: null,
  async loadList() {
    set({ status: 'loading' });
    try {
      const [list, rejected] = await Promise.all([api('playbooks.list', {}), api('playbooks.problems', {})]);
      set({ list, rejected, status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorText(e) });
    }
  },
  async loadDetail(id) {
    if (get().detail?.summary.id !== id) set({ detail: null });
    set({ status: 'loading' });
    try {
      set({ detail: await api('playbooks.get', { id }), status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorText(e) });
    }
  },
}));
