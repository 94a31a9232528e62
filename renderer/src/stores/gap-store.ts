import type { ApiInput } from '../../../electron/shared/contract/index';
import type { GapAnalysis } from '../../../electron/shared/gap';
import { api } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

export type Assessment = Omit<ApiInput<'gap.assess'>, 'id' | 'controlId'>;

interface GapState extends IncidentScoped {
  gap: GapAnalysis | null;
  /** The control saved last, to say so beside it. */
  savedControl: string | null;
  load(incidentId: string): Promise<void>;
  assess(controlId: string, assessment: Assessment): Promise<void>;
}

export const useGap = defineStore<GapState>((set, get) => {
  const scope = incidentScope<GapState>(set, get, () => ({ gap: null, savedControl: null }));
  return {
    ...notOpened,
    gap: null,
    savedControl: null,
    async load(incidentId) {
      await scope.load(incidentId, async () => ({ gap: await api('gap.get', { id: incidentId }) }));
    },
    async assess(controlId, assessment) {
      set({ savedControl: null });
      await scope.act(async (id) => ({ gap: await api('gap.assess', { ...assessment, id, controlId }), savedControl: controlId }), controlId);
    },
  };
});
