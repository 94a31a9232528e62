import type { EvidenceItem, EvidenceVerification } from '../../../electron/shared/evidence';
import { api, errorText } from '../api/client';
import { saveFile } from '../api/download';
import { addEvidenceFromPath, uploadEvidence } from '../api/upload';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

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

interface EvidenceState extends IncidentScoped {
  items: EvidenceItem[];
  uploads: Upload[];
  verification: EvidenceVerification | null;
  load(incidentId: string): Promise<void>;
  add(incidentId: string, files: EvidenceSource[], linkedSteps?: string[]): Promise<void>;
  cancel(key: string): void;
  verify(): Promise<void>;
  link(itemId: string, stepId: string): Promise<void>;
  /** Renders a manifest, saves it as a download, and shows the export in each item's custody. */
  downloadManifest(format: 'json' | 'csv' | 'sha256sums'): Promise<void>;
}

export const useEvidence = defineStore<EvidenceState>((set, get) => {
  const scope = incidentScope<EvidenceState>(set, get, () => ({ items: [], uploads: [], verification: null }));
  const patch = (key: string, p: Partial<Upload>) => set((s) => ({ uploads: s.uploads.map((u) => (u.key === key ? { ...u, ...p } : u)) }));
  const list = async (incidentId: string) => ({ items: await api('evidence.list', { incidentId, withCustody: true }) });
  return {
    ...notOpened,
    items: [],
    uploads: [],
    verification: null,
    async load(incidentId) {
      await scope.load(incidentId, () => list(incidentId));
    },
    async add(incidentId, files, linkedSteps) {
      if (get().incidentId !== incidentId) await get().load(incidentId);
      // One at a time: the disk and the hash are the bottleneck, and the record keeps the order the user chose.
      await scope.act(async () => {
        for (const file of files) {
          const name = nameOf(file);
          const key = `${name}-${crypto.randomUUID()}`;
          const controller = new AbortController();
          const target = linkedSteps?.[0] ?? null;
          const size = file instanceof File ? file.size : 0;
          scope.forIncident(incidentId)({ uploads: [...get().uploads, { key, name, done: 0, total: size, state: 'uploading', controller, target }] });
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
        return list(incidentId);
      });
      await refreshRun(incidentId);
    },
    cancel(key) {
      get().uploads.find((u) => u.key === key)?.controller.abort();
    },
    async verify() {
      await scope.act(async (incidentId) => {
        const verification = await api('evidence.verify', { incidentId });
        return { verification, ...(await list(incidentId)) };
      });
    },
    async link(itemId, stepId) {
      const done = await scope.act(async (incidentId) => {
        await api('evidence.linkStep', { incidentId, itemId, stepId });
        return list(incidentId);
      }, stepId);
      const incidentId = get().incidentId;
      if (done && incidentId) await refreshRun(incidentId);
    },
    async downloadManifest(format) {
      await scope.act(async (incidentId) => {
        const m = await api('evidence.manifest', { incidentId, format });
        saveFile(m.fileName, m.mediaType, m.content, m.encoding);
        return list(incidentId);
      });
    },
  };
});
