import type { Incident, PlaybookSummary } from '../../../electron/shared/domain';
import type { PlaybookDetail, RejectedPlaybookFile } from '../../../electron/shared/playbook/types';
import { api, errorText } from '../api/client';
import { defineStore, type PanelStatus } from './define-store';

interface PlaybooksState {
  list: PlaybookSummary[];
  rejected: RejectedPlaybookFile[];
  listStatus: PanelStatus;
  listError: string | null;
  /** The playbook shown on its own screen, with the incidents opened from it (to fill its commands with theirs). */
  detailId: string | null;
  detail: PlaybookDetail | null;
  incidents: Incident[];
  detailStatus: PanelStatus;
  detailError: string | null;
  loadList(): Promise<void>;
  loadDetail(id: string): Promise<void>;
}

export const usePlaybooks = defineStore<PlaybooksState>((set, get) => ({
  list: [],
  rejected: [],
  listStatus: 'loading',
  listError: null,
  detailId: null,
  detail: null,
  incidents: [],
  detailStatus: 'loading',
  detailError: null,
  async loadList() {
    if (get().listStatus !== 'loading') set({ listStatus: 'busy' });
    try {
      const [list, rejected] = await Promise.all([api('playbooks.list', {}), api('playbooks.problems', {})]);
      set({ list, rejected, listStatus: 'ready', listError: null });
    } catch (e) {
      set({ listStatus: 'error', listError: errorText(e) });
    }
  },
  async loadDetail(id) {
    if (get().detailId !== id) set({ detailId: id, detail: null, incidents: [], detailStatus: 'loading', detailError: null });
    else if (get().detailStatus !== 'loading') set({ detailStatus: 'busy' });
    // A late answer for a playbook no longer shown is dropped.
    const current = () => get().detailId === id;
    try {
      const [detail, incidents] = await Promise.all([api('playbooks.get', { id }), api('incidents.list', {})]);
      if (current()) set({ detail, incidents: incidents.filter((i) => i.playbook.id === id), detailStatus: 'ready', detailError: null });
    } catch (e) {
      if (current()) set({ detailStatus: 'error', detailError: errorText(e) });
    }
  },
}));
