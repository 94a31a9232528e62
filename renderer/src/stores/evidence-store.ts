import { create } from 'zustand';
import type { EvidenceItem, EvidenceVerification } from '../../../electron/shared/evidence';
import { api, errorText } from '../api/client';
import { addEvidenceFromPath, uploadEvidence } from '../api/upload';
import { useRun } from './run-store';

export interface Upload {
  key: string;
  name: string;
  done: number;
  total: number;
  state: 'uploading' | 'done' | 'failed' | 'cancelled';
  /** The step or artifact the file is attached to, if any. */
  target: string | null;
  error?: string;
  controller: AbortController;
}

/** A file to add: one the page holds (dropped or picked), or a path from the desktop app's native dialog. */
export type EvidenceSource = File | { path: string };

const nameOf = (s: EvidenceSource) => (s instanceof File ? s.name : (s.path.split(/[\\/]/).pop() ?? s.path));

interface EvidenceState {
  incidentId: string | null;
  items: EvidenceItem[];
  uploads: Upload[];
  verification: EvidenceVerification | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(incidentId: string): Promise<void>;
  add(incidentId: string, files: EvidenceSource[], linkedSteps?: string[]): Promise<void>;
  cancel(key: string): void;
  verify(): Promise<void>;
  link(itemId: string, stepId: string): Promise<void>;
}

export const useEvidence = create<EvidenceState>((set, get) => {
  const patch = (key: string, p: Partial<Upload>) => set((s) => ({ uploads: s.uploads.map((u) => (u.key === key ? { ...u, ...p } : u)) }));
  /** The run's gates count attached evidence: refresh it after any change here. */
  const refreshRun = async () => {
    const id = get().incidentId;
    if (id) await useRun.getState().load(id);
  };
  return {
    incidentId: null,
    items: [],
    uploads: [],
    verification: null,
    status: 'idle',
    error: null,
    async load(incidentId) {
      if (get().incidentId !== incidentId) set({ incidentId, items: [], uploads: [], verification: null });
      set({ status: 'loading' });
      try {
        const items = await api('evidence.list', { incidentId, withCustody: true });
        if (get().incidentId === incidentId) set({ items, status: 'ready', error: null });
      } catch (e) {
        set({ status: 'error', error: errorText(e) });
      }
    },
    async add(incidentId, files, linkedSteps) {
      if (get().incidentId !== incidentId) set({ incidentId, items: [], uploads: [], verification: null });
      // One at a time: the disk and the hash are the bottleneck, and the record keeps the order the user chose.
      for (const file of files) {
        const name = nameOf(file);
        const key = `${name}-${crypto.randomUUID()}`;
        const controller = new AbortController();
        const target = linkedSteps?.[0] ?? null;
        const size = file instanceof File ? file.size : 0;
        set((s) => ({ uploads: [...s.uploads, { key, name, done: 0, total: size, state: 'uploading', controller, target }] }));
        try {
          const options = {
            incidentId,
            ...(linkedSteps ? { linkedSteps } : {}),
            signal: controller.signal,
            onProgress: (done: number, total: number) => patch(key, { done, total }),
          };
          const item = file instanceof File ? await uploadEvidence(file, options) : await addEvidenceFromPath(file.path, options);
          patch(key, { state: 'done', done: item.size, total: item.size });
        } catch (e) {
          patch(key, { state: controller.signal.aborted ? 'cancelled' : 'failed', error: errorText(e) });
        }
      }
      await get().load(incidentId);
      await refreshRun();
    },
    cancel(key) {
      get().uploads.find((u) => u.key === key)?.controller.abort();
    },
    async verify() {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      try {
        set({ verification: await api('evidence.verify', { incidentId }) });
        await get().load(incidentId);
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async link(itemId, stepId) {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      await api('evidence.linkStep', { incidentId, itemId, stepId });
      await get().load(incidentId);
      await refreshRun();
    },
  };
});
