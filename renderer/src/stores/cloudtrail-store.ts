import type { CloudTrailOperation, FindingsSummary } from '../../../electron/shared/cloudtrail';
import type { ApiInput } from '../../../electron/shared/contract/index';
import { api } from '../api/client';
import { newOperationId, watchOperation } from '../api/operations';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

/** Progress and cancel of a running import or pull: the one place this store names them. */
const operations = {
  list: (incidentId: string) => api('cloudtrail.operations', { incidentId }),
  cancel: (operationId: string) => api('cloudtrail.cancel', { operationId }),
};

export type Collection = 'import' | 'pull' | 'monitor';
export type PullOptions = Omit<ApiInput<'cloudtrail.pull'>, 'incidentId' | 'operationId'>;

interface CloudTrailState extends IncidentScoped {
  summary: FindingsSummary | null;
  /** Changes when the summary counts other events, so the timeline reads its pages again. */
  version: number;
  /** The import or pull running now, with its latest progress line. */
  collecting: { kind: Collection; operationId: string; progress: CloudTrailOperation | null } | null;
  load(incidentId: string): Promise<void>;
  importExports(paths: string[]): Promise<void>;
  pull(options: PullOptions): Promise<void>;
  monitoringCheck(options: Omit<PullOptions, 'start' | 'end'>): Promise<void>;
  cancelCollection(): Promise<void>;
}

export const useCloudTrail = defineStore<CloudTrailState>((set, get) => {
  const scope = incidentScope<CloudTrailState>(set, get, () => ({ summary: null, collecting: null }));
  const summary = async (incidentId: string) => {
    const next = await api('cloudtrail.summary', { incidentId });
    const before = get().summary;
    const changed = before?.incidentId !== next.incidentId || before.events !== next.events;
    return { summary: next, version: changed ? get().version + 1 : get().version };
  };
  /** Runs one collection with progress; its events become evidence and findings, which the run's gates may count. */
  const collect = (kind: Collection, call: (incidentId: string, operationId: string) => Promise<unknown>) =>
    scope.act(async (incidentId) => {
      const operationId = newOperationId(kind);
      set({ collecting: { kind, operationId, progress: null } });
      const stop = watchOperation(() => operations.list(incidentId), operationId, (progress) =>
        scope.forIncident(incidentId)({ collecting: { kind, operationId, progress } }),
      );
      try {
        await call(incidentId, operationId);
      } finally {
        stop();
        scope.forIncident(incidentId)({ collecting: null });
      }
      await refreshRun(incidentId);
      return summary(incidentId);
    });
  return {
    ...notOpened,
    summary: null,
    version: 0,
    collecting: null,
    async load(incidentId) {
      await scope.load(incidentId, () => summary(incidentId));
    },
    async importExports(paths) {
      await collect('import', (incidentId, operationId) => api('cloudtrail.import', { incidentId, paths, operationId }));
    },
    async pull(options) {
      await collect('pull', (incidentId, operationId) => api('cloudtrail.pull', { ...options, incidentId, operationId }));
    },
    async monitoringCheck(options) {
      await collect('monitor', (incidentId, operationId) => api('cloudtrail.monitoringCheck', { ...options, incidentId, operationId }));
    },
    async cancelCollection() {
      const running = get().collecting;
      if (!running) return;
      await scope.act(async () => {
        await operations.cancel(running.operationId);
        return {};
      });
    },
  };
});
