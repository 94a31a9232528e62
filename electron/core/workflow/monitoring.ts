import type { CoreContext } from '../context';
import { IncidentRepository } from '../incidents/repository';
import type { Actor, AppendInput } from '../ledger/ledger';
import { WorkflowRepository } from './repository';
import { loadRun } from './run';

/**
 * What an automated monitoring check means for the guided run: inside the 30-day window it is logged as a check, and an
 * alert reopens Containment (a recurrence). Runs inside the caller's change, and returns the ledger entries of what it
 * changed for that change to record beside the check's own entry.
 */
export function applyMonitoringCheck(ctx: CoreContext, actor: Actor, incidentId: string, outcome: 'clear' | 'alert', note: string): AppendInput[] {
  const incidents = new IncidentRepository(ctx.db);
  const incident = incidents.get(incidentId);
  if (!incident) return [];
  const repo = new WorkflowRepository(ctx.db);
  const run = loadRun(ctx.db, incident, ctx.now());
  if (run.monitoring) {
    repo.logMonitoringCheck(incidentId, { at: ctx.now().toISOString(), result: outcome, note, by: { name: actor.name, role: actor.role }, initiator: actor.initiator });
  }
  const containment = run.phases.find((p) => p.id === 'containment');
  if (outcome === 'alert' && containment?.status === 'closed') {
    repo.reopenPhase(incidentId, 'containment');
    incidents.setCurrentPhase(incidentId, 'containment');
    incidents.setStatus(incidentId, 'open');
    return [
      {
        scope: incidentId,
        action: 'phase.reopened',
        subject: 'containment',
        payload: { title: containment.title, reason: `Monitoring alert, treated as a possible recurrence: ${note}` },
      },
    ];
  }
  return [];
}
