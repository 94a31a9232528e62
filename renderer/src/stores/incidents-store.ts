import { create } from 'zustand';
import type { Incident, PlaybookSummary } from '../../../electron/shared/domain';
import { api, errorText } from '../api/client';

interface IncidentsState {
  incidents: Incident[];
  playbooks: PlaybookSummary[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  search: string;
  load(): Promise<void>;
  setSearch(text: string): Promise<void>;
  create(input: { playbookId: string; title?: string }): Promise<Incident>;
}

// Searches fire per keystroke; only the newest request may update the list.
let latestLoad = 0;

export const useIncidents = create<IncidentsState>((set, get) => ({
  incidents: [],
  playbooks: [],
  status: 'idle',
  error: null,
  search: '',
  async load() {
    const mine = ++latestLoad;
    set({ status: 'loading' });
    try {
      const search = get().search;
      const [incidents, playbooks] = await Promise.all([
        api('incidents.list', search ? { search } : {}),
        api('playbooks.list', {}),
      ]);
      if (mine === latestLoad) set({ incidents, playbooks, status: 'ready', error: null });
    } catch (e) {
      if (mine === latestLoad) set({ status: 'error', error: errorText(e) });
    }
  },
  async setSearch(text) {
    set({ search: text });
    await get().load();
  },
  async create(input) {
    const incident = await api('incidents.create', { ...input, params: {} });
    await get().load();
    return incident;
  },
}));
