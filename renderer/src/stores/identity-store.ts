import type { IamIncidentAnalysis, IamSource, Revocation } from '../../../electron/shared/iam';
import { api, errorText } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

interface IdentityState extends IncidentScoped {
  sources: IamSource[];
  /** Could versus did, or why it cannot be shown yet (no snapshot, no agent identity named). */
  analysis: IamIncidentAnalysis | null;
  analysisNote: string | null;
  revocations: Revocation[];
  load(incidentId: string): Promise<void>;
}

/** The Agent identity tab: the IAM snapshot kept as evidence, could versus did, and revocations. */
export const useIdentity = defineStore<IdentityState>((set, get) => {
  const scope = incidentScope<IdentityState>(set, get, () => ({ sources: [], analysis: null, analysisNote: null, revocations: [] }));
  return {
    ...notOpened,
    sources: [],
    analysis: null,
    analysisNote: null,
    revocations: [],
    async load(incidentId) {
      await scope.load(incidentId, async () => {
        const [sources, revocations] = await Promise.all([api('iam.sources', { incidentId }), api('iam.revocations', { incidentId })]);
        if (sources.length === 0) return { sources, revocations, analysis: null, analysisNote: null };
        // An analysis that cannot run yet (no agent identity named) is a hint on the tab, not a failure of it.
        try {
          return { sources, revocations, analysis: await api('iam.analyze', { incidentId }), analysisNote: null };
        } catch (e) {
          return { sources, revocations, analysis: null, analysisNote: errorText(e) };
        }
      });
    },
  };
});
