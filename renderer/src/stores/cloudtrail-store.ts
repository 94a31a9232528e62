import type { CollectionSummary, FindingsSummary } from '../../../electron/shared/cloudtrail';
import type { ApiInput } from '../../../electron/shared/contract/index';
import { api } from '../api/client';
import { cancelOperation, newOperationId, watchOperation } from '../api/operations';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

export type Collection = 'import' | 'pull' | 'cloud-pull' | 'monitor';
/** The Api method behind each collection, whose operation reports the progress line. */
const COLLECTION_METHOD = { import: 'logs.import', pull: 'cloudtrail.pull', 'cloud-pull': 'logs.pull', monitor: 'cloudtrail.monitoringCheck' } as const;
export type PullOptions = Omit<ApiInput<'cloudtrail.pull'>, 'incidentId' | 'operationId'>;
/** An Azure Monitor or Cloud Logging pull: the cloud, the subscription or project, and the optional filters. */
export type CloudPullOptions = Omit<ApiInput<'logs.pull'>, 'incidentId' | 'operationId'>;

interface CloudTrailState extends IncidentScoped {
  summary: FindingsSummary | null;
  /** Changes when the summary counts other events, so the timeline reads its pages again. */
  version: number;
  /** The import or pull running now, with its latest progress line. */
  collecting: { kind: Collection; operationId: string; progress: string | null } | null;
  /** What the last collection did, in a line. */
  collected: string | null;
  load(incidentId: string): Promise<void>;
  importExports(paths: string[]): Promise<void>;
  pull(options: PullOptions): Promise<void>;
  pullCloud(options: CloudPullOptions): Promise<void>;
  monitoringCheck(options: Omit<PullOptions, 'start' | 'end'>): Promise<void>;
  cancelCollection(): Promise<void>;
}

const collectedLine = (c: CollectionSummary, newFindings: number) =>
  `${c.records.toLocaleString()} records, ${c.newRecords.toLocaleString()} new, ${c.duplicates.toLocaleString()} duplicates; ${newFindings} new findings.${c.errors.length ? ` Problems: ${c.errors.join('; ')}` : ''}`;

export const useCloudTrail = defineStore<CloudTrailState>((set, get) => {
  const scope = incidentScope<CloudTrailState>(set, get, () => ({ summary: null, collecting: null, collected: null }));
  const summary = async (incidentId: string) => {
    const next = await api('cloudtrail.summary', { incidentId });
    const before = get().summary;
    // New events of the incident shown (an import, a pull): the timeline reads again. The first summary of an incident
    // is not a change: the timeline reads that incident on its own, and reading it twice doubled the tab's work.
    const changed = before !== null && before.incidentId === next.incidentId && before.events !== next.events;
    return { summary: next, version: changed ? get().version + 1 : get().version };
  };
  /** Runs one collection with progress; its events become evidence and findings, which the run's gates may count. */
  const collect = (kind: Collection, call: (incidentId: string, operationId: string) => Promise<string>) =>
    scope.act(async (incidentId) => {
      const operationId = newOperationId(kind);
      set({ collecting: { kind, operationId, progress: null }, collected: null });
      const stop = watchOperation(incidentId, COLLECTION_METHOD[kind], operationId, (progress) =>
        scope.forIncident(incidentId)({ collecting: { kind, operationId, progress } }),
      );
      let collected: string;
      try {
        collected = await call(incidentId, operationId);
      } finally {
        stop();
        scope.forIncident(incidentId)({ collecting: null });
      }
      await refreshRun(incidentId);
      return { ...(await summary(incidentId)), collected };
    });
  return {
    ...notOpened,
    summary: null,
    version: 0,
    collecting: null,
    collected: null,
    async load(incidentId) {
      await scope.load(incidentId, () => summary(incidentId));
    },
    async importExports(paths) {
      await collect('import', async (incidentId, operationId) => {
        // CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files alike, the source detected per file.
        const r = await api('logs.import', { incidentId, paths, operationId });
        const clouds = `AWS ${r.byCloud.aws.toLocaleString()}, Azure ${r.byCloud.azure.toLocaleString()}, GCP ${r.byCloud.gcp.toLocaleString()} calls in the incident`;
        return `Imported ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${collectedLine(r.collection, r.newFindings)} ${clouds}.`;
      });
    },
    async pull(options) {
      await collect('pull', async (incidentId, operationId) => {
        const r = await api('cloudtrail.pull', { ...options, incidentId, operationId });
        return `${r.resumed ? 'Resumed the pull' : 'Pulled'}: ${collectedLine(r.collection, r.newFindings)}`;
      });
    },
    async pullCloud(options) {
      await collect('cloud-pull', async (incidentId, operationId) => {
        const r = await api('logs.pull', { ...options, incidentId, operationId });
        const what = r.cloud === 'azure' ? `Azure subscription ${r.scope}` : `GCP project ${r.scope}`;
        return `${r.resumed ? 'Resumed the pull of' : 'Pulled'} ${what}: ${r.pages} pages kept as evidence, ${collectedLine(r.collection, r.newFindings)}`;
      });
    },
    async monitoringCheck(options) {
      await collect('monitor', async (incidentId, operationId) => (await api('cloudtrail.monitoringCheck', { ...options, incidentId, operationId })).message);
    },
    async cancelCollection() {
      const running = get().collecting;
      if (running) await scope.act(() => cancelOperation(running.operationId).then(() => ({})));
    },
  };
});
