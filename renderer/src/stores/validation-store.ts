import { create } from 'zustand';
import type { TargetTables } from '../../../electron/shared/contract/validation';
import type { PasswordVaultState, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { api, errorText } from '../api/client';
import { useRun } from './run-store';

interface ValidationState {
  incidentId: string | null;
  runs: ValidationRun[];
  tables: TargetTables | null;
  active: ValidationRun | null;
  shown: { run: ValidationRun; body: ValidationResultBody } | null;
  error: string | null;
  busy: boolean;
  /** Remembered database passwords (desktop app with an OS keychain), or why there are none. */
  vault: PasswordVaultState | null;
  load(incidentId: string): Promise<void>;
  loadVault(): Promise<void>;
  /** Connects with the password and, if the server takes it, has the OS keychain seal it; false (with error) otherwise. */
  rememberPassword(url: string, password: string): Promise<boolean>;
  forgetPassword(server: string): Promise<void>;
  listTables(url: string, password: string): Promise<void>;
  start(input: Parameters<typeof startInput>[0]): Promise<void>;
  cancel(): Promise<void>;
  show(run: ValidationRun): Promise<void>;
  importBaseline(file: File, linkedSteps: string[]): Promise<void>;
}

type Start =
  | { kind: 'baseline'; url: string; password: string; tables?: string[]; linkedSteps: string[] }
  | { kind: 'compare'; url: string; password: string; baselineRunId: string; linkedSteps: string[] }
  | { kind: 'check-database'; url: string; password: string; linkedSteps: string[] }
  | { kind: 'check-backup'; path: string; expectedSha256?: string; linkedSteps: string[] };

function startInput(s: Start, incidentId: string) {
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
  }
}

export const useValidation = create<ValidationState>((set, get) => {
  const refresh = async () => {
    const id = get().incidentId;
    if (!id) return;
    set({ runs: await api('validation.runs', { incidentId: id }) });
    await useRun.getState().load(id);
  };
  /** Long-polls the run until it ends; each answer carries per-table progress. */
  const follow = async (run: ValidationRun) => {
    let current = run;
    set({ active: current });
    while (current.status === 'running') {
      current = await api('validation.status', { runId: current.id, waitMs: 1000 });
      if (get().active?.id !== current.id) return;
      set({ active: current });
    }
    await refresh();
    if (current.status === 'done') await get().show(current);
  };
  return {
    incidentId: null,
    runs: [],
    tables: null,
    active: null,
    shown: null,
    error: null,
    busy: false,
    vault: null,
    async loadVault() {
      try {
        set({ vault: await api('validation.passwords', {}) });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async rememberPassword(url, password) {
      set({ busy: true, error: null });
      try {
        await api('validation.rememberPassword', { url, password });
        await get().loadVault();
        return true;
      } catch (e) {
        set({ error: `The password was not remembered: ${errorText(e)}` });
        return false;
      } finally {
        set({ busy: false });
      }
    },
    async forgetPassword(server) {
      set({ error: null });
      try {
        set({ vault: await api('validation.forgetPassword', { server }) });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async load(incidentId) {
      if (get().incidentId !== incidentId) set({ incidentId, runs: [], tables: null, active: null, shown: null, error: null });
      try {
        const runs = await api('validation.runs', { incidentId });
        set({ runs });
        const running = runs.find((r) => r.status === 'running');
        if (running && get().active?.id !== running.id) void follow(running);
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async listTables(url, password) {
      set({ busy: true, error: null, tables: null });
      try {
        set({ tables: await api('validation.tables', { target: { url, ...(password ? { password } : {}) } }) });
      } catch (e) {
        set({ error: errorText(e) });
      } finally {
        set({ busy: false });
      }
    },
    async start(s) {
      const id = get().incidentId;
      if (!id) return;
      set({ error: null, shown: null });
      try {
        const run = await api('validation.start', startInput(s, id));
        void follow(run).catch((e) => set({ error: errorText(e) }));
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async cancel() {
      const active = get().active;
      if (active) set({ active: await api('validation.cancel', { runId: active.id }) });
    },
    async show(run) {
      try {
        set({ shown: { run, body: await api('validation.result', { runId: run.id }) } });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async importBaseline(file, linkedSteps) {
      const id = get().incidentId;
      if (!id) return;
      set({ error: null });
      try {
        const run = await api('validation.importBaseline', { incidentId: id, fileName: file.name, content: await file.text(), linkedSteps });
        await refresh();
        await get().show(run);
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
  };
});
