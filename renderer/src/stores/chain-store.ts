import type { IncidentTraces } from '../../../electron/shared/traces';
import { api, bridgeOf } from '../api/client';
import { newOperationId, watchOperation } from '../api/operations';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

interface ChainState extends IncidentScoped {
  chain: IncidentTraces | null;
  /** The trace import running now, with its latest progress line. */
  importing: { operationId: string; progress: string | null } | null;
  /** What the last import did, in a line. */
  imported: string | null;
  load(incidentId: string): Promise<void>;
  importPaths(paths: string[]): Promise<void>;
  /** Dropped files: the desktop app knows their paths; a browser does not, and is told to give the path instead. */
  importFiles(files: File[]): Promise<void>;
}

/**
 * The Decision chain tab: the agent's runs from its imported traces, each tool call with the cloud events and database
 * changes tied to it (worked out by core when the chain is read), and the imports of new trace files.
 */
export const useChain = defineStore<ChainState>((set, get) => {
  const scope = incidentScope<ChainState>(set, get, () => ({ chain: null, importing: null, imported: null }));
  const read = async (incidentId: string) => ({ chain: await api('trace.chain', { incidentId }) });
  const importPaths = (paths: string[]) =>
    scope.act(async (incidentId) => {
      const operationId = newOperationId('trace');
      set({ importing: { operationId, progress: null }, imported: null });
      const stop = watchOperation(incidentId, 'trace.import', operationId, (progress) => scope.forIncident(incidentId)({ importing: { operationId, progress } }));
      try {
        const r = await api('trace.import', { incidentId, paths, operationId });
        await refreshRun(incidentId);
        const line = `${r.id}: ${r.evidence.length} trace file${r.evidence.length === 1 ? '' : 's'} taken as evidence (${r.evidence.map((e) => e.id).join(', ')}); ${r.runs} run${r.runs === 1 ? '' : 's'}, ${r.toolCalls} tool calls, ${r.destructive} destructive.`;
        return { ...(await read(incidentId)), imported: line };
      } finally {
        stop();
        scope.forIncident(incidentId)({ importing: null });
      }
    }, 'chain-import');
  return {
    ...notOpened,
    chain: null,
    importing: null,
    imported: null,
    async load(incidentId) {
      await scope.load(incidentId, () => read(incidentId));
    },
    async importPaths(paths) {
      await importPaths(paths);
    },
    async importFiles(files) {
      const bridge = bridgeOf();
      const paths = files.map((f) => bridge?.pathForFile?.(f) ?? '').filter(Boolean);
      if (paths.length === files.length) return void (await importPaths(paths));
      await scope.act(async () => {
        throw new Error(`${files.map((f) => f.name).join(', ')}: a browser does not tell Firebreak where a dropped file lies. Give its path on the machine running Firebreak in the box above.`);
      }, 'chain-import');
    },
  };
});
