import { create } from 'zustand';
import type { ApiInput } from '../../../electron/shared/contract/index';
import type { IncidentRun, TimelineEntry } from '../../../electron/shared/workflow';
import { api, errorText } from '../api/client';

type Mutation =
  | 'workflow.setParams'
  | 'workflow.setStep'
  | 'workflow.setNote'
  | 'workflow.decide'
  | 'workflow.closePhase'
  | 'workflow.reopenPhase'
  | 'workflow.setTime'
  | 'workflow.recordNotification'
  | 'workflow.logMonitoringCheck';

interface RunState {
  id: string | null;
  run: IncidentRun | null;
  timeline: TimelineEntry[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** The phase shown; defaults to the incident's current phase. */
  selectedPhase: string | null;
  load(id: string): Promise<void>;
  loadTimeline(): Promise<void>;
  selectPhase(id: string): void;
  /** Sends a change; the returned run replaces the current one. Throws ApiCallError so forms can show it in place. */
  change<M extends Mutation>(method: M, input: Omit<ApiInput<M>, 'id'>): Promise<IncidentRun>;
}

export const useRun = create<RunState>((set, get) => ({
  id: null,
  run: null,
  timeline: [],
  status: 'idle',
  error: null,
  selectedPhase: null,
  async load(id) {
    if (get().id !== id) set({ id, run: null, timeline: [], selectedPhase: null });
    set({ status: 'loading' });
    try {
      const run = await api('workflow.get', { id });
      if (get().id === id) set({ run, status: 'ready', error: null });
    } catch (e) {
      if (get().id === id) set({ status: 'error', error: errorText(e) });
    }
  },
  async loadTimeline() {
    const id = get().id;
    if (!id) return;
    const timeline = await api('workflow.timeline', { id });
    if (get().id === id) set({ timeline });
  },
  selectPhase(id) {
    set({ selectedPhase: id });
  },
  async change(method, input) {
    const id = get().id;
    if (!id) throw new Error('No incident is open.');
    const run = (await api(method, { ...input, id } as ApiInput<typeof method>)) as IncidentRun;
    if (get().id === id) set({ run });
    return run;
  },
}));
