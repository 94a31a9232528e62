import type { Incident, PlaybookSummary } from '../../../electron/shared/domain';
import { api, errorText } from '../api/client';
import { defineStore, type PanelStatus } from './define-store';

interface IncidentsState {
  incidents: Incident[];
  playbooks: PlaybookSummary[];
  status: PanelStatus;
  /** The list has been read once: an empty list now means there are no incidents. */
  listed: boolean;
  /** Why reading the list failed. */
  error: string | null;
  search: string;
  /** Why building the sample incident failed. */
  sampleError: string | null;
  load(): Promise<void>;
  setSearch(text: string): Promise<void>;
  create(input: { playbookId: string; title?: string; awareAt?: string }): Promise<Incident>;
  /** Builds the SAMPLE incident; its id, or null when that failed (sampleError says why). */
  openSample(): Promise<string | null>;
}

// Searches fire per keystroke; only the newest request may update the list.
let latestLoad = 0;

export const useIncidents = defineStore<IncidentsState>((set, get) => ({
  incidents: [],
  playbooks: [],
  status: 'loading',
  listed: false,
  error: null,
  search: '',
  sampleError: null,
  async load() {
    const mine = ++latestLoad;
    if (get().status !== 'loading') set({ status: 'busy' });
    try {
      const search = get().search;
      const [incidents, playbooks] = await Promise.all([api('incidents.list', search ? { search } : {}), api('playbooks.list', {})]);
      if (mine === latestLoad) set({ incidents, playbooks, listed: true, status: 'ready', error: null });
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
  async openSample() {
    set({ status: 'busy', sampleError: null });
    try {
      const incident = await api('sample.create', {});
      set({ status: 'ready' });
      return incident.id;
    } catch (e) {
      set({ status: 'error', sampleError: errorText(e) });
      return null;
    }
  },
}));
