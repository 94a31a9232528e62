import type { TimelineEntry } from '../../../electron/shared/workflow';
import { api } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

/** Who did what and when in one incident, read from its ledger. */
interface ActivityState extends IncidentScoped {
  entries: TimelineEntry[];
  load(incidentId: string): Promise<void>;
}

export const useActivity = defineStore<ActivityState>((set, get) => {
  const scope = incidentScope<ActivityState>(set, get, () => ({ entries: [] }));
  return {
    ...notOpened,
    entries: [],
    async load(incidentId) {
      await scope.load(incidentId, async () => ({ entries: await api('workflow.timeline', { id: incidentId }) }));
    },
  };
});
