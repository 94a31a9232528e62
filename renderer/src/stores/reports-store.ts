import type { BundleProgress, BundleResult, BundleVerification, ReportFormat, ReportKind, TlpMarking } from '../../../electron/shared/reports';
import { api } from '../api/client';
import { saveFile } from '../api/download';
import { cancelOperation, newOperationId, watchOperation } from '../api/operations';
import { previewUrl } from '../api/preview';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

interface ReportsState extends IncidentScoped {
  kind: ReportKind;
  tlp: TlpMarking | null;
  /** The preview of the report and marking it was rendered for. */
  preview: { kind: ReportKind; tlp: TlpMarking; url: string } | null;
  /** What the last export wrote, with its hashes. */
  exported: string | null;
  /** The bundle being written, with its progress once the first answer came. */
  bundling: { operationId: string; progress: BundleProgress | null } | null;
  bundle: BundleResult | null;
  verification: BundleVerification | null;
  load(incidentId: string): Promise<void>;
  setKind(kind: ReportKind): void;
  setMarking(tlp: TlpMarking): Promise<void>;
  /** Renders the preview of the chosen report, unless the one shown is already it. */
  showPreview(): Promise<void>;
  exportAs(format: ReportFormat): Promise<void>;
  makeBundle(manifestOnly: boolean): Promise<void>;
  cancelBundle(): Promise<void>;
  verifyBundle(path: string): Promise<void>;
}

export const useReports = defineStore<ReportsState>((set, get) => {
  const scope = incidentScope<ReportsState>(set, get, () => ({ tlp: null, preview: null, exported: null, bundling: null, bundle: null, verification: null }));
  return {
    ...notOpened,
    kind: 'incident',
    tlp: null,
    preview: null,
    exported: null,
    bundling: null,
    bundle: null,
    verification: null,
    async load(incidentId) {
      if (await scope.load(incidentId, async () => ({ tlp: (await api('reports.marking', { id: incidentId })).tlp }))) await get().showPreview();
    },
    setKind(kind) {
      set({ kind });
      void get().showPreview();
    },
    async setMarking(tlp) {
      if (await scope.act(async (id) => ({ tlp: (await api('reports.setMarking', { id, tlp })).tlp }))) await get().showPreview();
    },
    async showPreview() {
      const { kind, tlp, preview } = get();
      if (!tlp || (preview?.kind === kind && preview.tlp === tlp)) return;
      await scope.act(async (id) => {
        const url = await previewUrl({ id, kind, tlp });
        // Another report or marking may have been chosen meanwhile; its own preview follows.
        return get().kind === kind && get().tlp === tlp ? { preview: { kind, tlp, url } } : {};
      });
    },
    async exportAs(format) {
      const { kind, tlp } = get();
      set({ exported: null });
      const done = await scope.act(async (id) => {
        // OSCAL is made from the gap analysis, whatever report is shown.
        const r = await api('reports.export', { id, kind: format.startsWith('oscal') ? 'gap' : kind, format, ...(tlp ? { tlp } : {}) });
        saveFile(r.fileName, r.mediaType, r.content, r.encoding);
        return { exported: `${r.fileName}: content sha256 ${r.contentSha256}${r.evidenceId ? `, kept as evidence ${r.evidenceId}` : ''}` };
      });
      const incidentId = get().incidentId;
      // The export is kept as evidence, which the run shows.
      if (done && incidentId) await refreshRun(incidentId);
    },
    async makeBundle(manifestOnly) {
      set({ bundle: null, verification: null });
      await scope.act(async (id) => {
        const operationId = newOperationId('bundle');
        set({ bundling: { operationId, progress: null } });
        const stop = watchOperation(id, 'reports.bundle', operationId, (progress) => scope.forIncident(id)({ bundling: { operationId, progress } }), 500);
        try {
          return { bundle: await api('reports.bundle', { id, manifestOnly, operationId }) };
        } finally {
          stop();
          scope.forIncident(id)({ bundling: null });
        }
      });
    },
    async cancelBundle() {
      const running = get().bundling;
      if (running) await scope.act(() => cancelOperation(running.operationId).then(() => ({})));
    },
    async verifyBundle(path) {
      set({ verification: null });
      await scope.act(async () => ({ verification: await api('reports.verifyBundle', { path }) }));
    },
  };
});
