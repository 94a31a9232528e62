import type { TargetTables } from '../../../electron/shared/contract/validation';
import type { DiffKeys, PasswordVaultState, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { api, errorText } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

/** Keys shown when a table's key list is opened; the count says how many more the evidence holds. */
export const KEYS_SHOWN = 50;

export type StartValidation =
  | { kind: 'baseline'; url: string; password: string; tables?: string[]; linkedSteps: string[] }
  | { kind: 'compare'; url: string; password: string; baselineRunId: string; linkedSteps: string[] }
  | { kind: 'check-database'; url: string; password: string; linkedSteps: string[] }
  | { kind: 'check-backup'; path: string; expectedSha256?: string; linkedSteps: string[] }
  | { kind: 'diff'; referenceUrl: string; referencePassword: string; url: string; password: string; classify: boolean; linkedSteps: string[] }
  | { kind: 'classify'; url: string; password: string; linkedSteps: string[] };

interface ValidationState extends IncidentScoped {
  runs: ValidationRun[];
  tables: TargetTables | null;
  active: ValidationRun | null;
  shown: { run: ValidationRun; body: ValidationResultBody } | null;
  /** The key list of one table of the shown diff, opened: its first keys and their count. */
  keys: DiffKeys | null;
  /** Remembered database passwords (desktop app with an OS keychain), or why there are none. */
  vault: PasswordVaultState | null;
  /** The server and user a typed URL's password belongs to, as the vault names it (null: SQLite or incomplete). */
  described: { url: string; server: string | null } | null;
  load(incidentId: string): Promise<void>;
  loadVault(): Promise<void>;
  /** Connects with the password and, if the server takes it, has the OS keychain seal it; false (with error) otherwise. */
  rememberPassword(url: string, password: string): Promise<boolean>;
  forgetPassword(server: string): Promise<void>;
  describeTarget(url: string): Promise<void>;
  listTables(url: string, password: string): Promise<void>;
  start(input: StartValidation): Promise<void>;
  cancel(): Promise<void>;
  show(run: ValidationRun): Promise<void>;
  openKeys(runId: string, table: string): Promise<void>;
  closeKeys(): void;
  importBaseline(file: File, linkedSteps: string[]): Promise<void>;
}

function startInput(s: StartValidation, incidentId: string) {
  const target = (url: string, password: string) => ({ url, ...(password ? { password } : {}) });
  switch (s.kind) {
    case 'baseline':
      return { kind: s.kind, incidentId, target: target(s.url, s.password), linkedSteps: s.linkedSteps, ...(s.tables?.length ? { tables: s.tables } : {}) };
    case 'compare':
      return { kind: s.kind, incidentId, target: target(s.url, s.password), baselineRunId: s.baselineRunId, linkedSteps: s.linkedSteps };
    case 'check-database':
      return { kind: s.kind, incidentId, target: target(s.url, s.password), linkedSteps: s.linkedSteps };
    case 'check-backup':
      return { kind: s.kind, incidentId, path: s.path, linkedSteps: s.linkedSteps, ...(s.expectedSha256 ? { expectedSha256: s.expectedSha256 } : {}) };
    case 'diff':
      return { kind: s.kind, incidentId, reference: target(s.referenceUrl, s.referencePassword), actual: target(s.url, s.password), classify: s.classify, linkedSteps: s.linkedSteps };
    case 'classify':
      return { kind: s.kind, incidentId, target: target(s.url, s.password), linkedSteps: s.linkedSteps };
  }
}

export const useValidation = defineStore<ValidationState>((set, get) => {
  const scope = incidentScope<ValidationState>(set, get, () => ({ runs: [], tables: null, active: null, shown: null, keys: null }));
  const result = async (run: ValidationRun) => ({ run, body: await api('validation.result', { runId: run.id }) });
  /** Long-polls the run until it ends (each answer carries per-table progress), then shows its result. */
  const follow = async (incidentId: string, run: ValidationRun): Promise<Partial<ValidationState>> => {
    let current = run;
    scope.forIncident(incidentId)({ active: current });
    while (current.status === 'running') {
      current = await api('validation.status', { runId: current.id, waitMs: 1000 });
      if (get().active?.id !== current.id) return {};
      scope.forIncident(incidentId)({ active: current });
    }
    const runs = await api('validation.runs', { incidentId });
    const shown = current.status === 'done' ? await result(current) : null;
    // A finished run can meet a gate.
    await refreshRun(incidentId);
    return { runs, shown };
  };
  const vault = async () => ({ vault: await api('validation.passwords', {}) });
  return {
    ...notOpened,
    runs: [],
    tables: null,
    active: null,
    shown: null,
    keys: null,
    vault: null,
    described: null,
    async load(incidentId) {
      await scope.load(incidentId, async () => ({ runs: await api('validation.runs', { incidentId }) }));
      const running = get().runs.find((r) => r.status === 'running');
      if (running && get().active?.id !== running.id) void scope.act((id) => follow(id, running));
    },
    async loadVault() {
      await scope.act(vault);
    },
    rememberPassword(url, password) {
      return scope.act(async () => {
        try {
          await api('validation.rememberPassword', { url, password });
        } catch (e) {
          throw new Error(`The password was not remembered: ${errorText(e)}`, { cause: e });
        }
        return vault();
      });
    },
    async forgetPassword(server) {
      await scope.act(async () => ({ vault: await api('validation.forgetPassword', { server }) }));
    },
    async describeTarget(url) {
      set({ described: { url, server: null } });
      try {
        const { server } = await api('validation.describeTarget', { url });
        if (get().described?.url === url) set({ described: { url, server } });
      } catch {
        // A URL still being typed names no server yet.
      }
    },
    async listTables(url, password) {
      set({ tables: null });
      await scope.act(async () => ({ tables: await api('validation.tables', { target: { url, ...(password ? { password } : {}) } }) }));
    },
    async start(s) {
      set({ shown: null, keys: null });
      await scope.act(async (incidentId) => follow(incidentId, await api('validation.start', startInput(s, incidentId))));
    },
    async cancel() {
      const active = get().active;
      if (active) await scope.act(async () => ({ active: await api('validation.cancel', { runId: active.id }) }));
    },
    async show(run) {
      await scope.act(async () => ({ shown: await result(run), keys: null }));
    },
    async openKeys(runId, table) {
      await scope.act(async () => ({ keys: await api('validation.diffKeys', { runId, table, limit: KEYS_SHOWN }) }));
    },
    closeKeys() {
      set({ keys: null });
    },
    async importBaseline(file, linkedSteps) {
      await scope.act(async (incidentId) => {
        const run = await api('validation.importBaseline', { incidentId, fileName: file.name, content: await file.text(), linkedSteps });
        const runs = await api('validation.runs', { incidentId });
        await refreshRun(incidentId);
        return { runs, shown: await result(run) };
      });
    },
  };
});
