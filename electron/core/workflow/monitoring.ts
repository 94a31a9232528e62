import type { CoreContext } from '../context';
import { IncidentRepository } from '../incidents/repository';
import type { Actor, AppendInput } from '../ledger/ledger';
import { PHASE_TITLES } from '../../shared/playbook/vocabulary';
import { WorkflowRepository } from './repository';
import { pinnedPlaybook } from './run';

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
  // Only the phases matter here, so the run's step proofs (read above the workflow) are not needed.
  const phases = new Map(repo.phases(incidentId).map((r) => [r.phase_id, r]));
  const recovery = phases.get('recovery');
  // The monitoring window runs from Recovery's close (as the run's monitoring does).
  if (recovery?.status === 'closed' && recovery.closed_at) {
    repo.logMonitoringCheck(incidentId, { at: ctx.now().toISOString(), result: outcome, note, by: { name: actor.name, role: actor.role }, initiator: actor.initiator });
  }
  if (outcome === 'alert' && phases.get('containment')?.status === 'closed') {
    const content = incidents.playbookContent(incidentId);
    const title = (content === undefined ? undefined : pinnedPlaybook(incident, content).playbook.phases.find((p) => p.id === 'containment')?.title) || PHASE_TITLES.containment;
    repo.reopenPhase(incidentId, 'containment');
    incidents.setCurrentPhase(incidentId, 'containment');
    incidents.setStatus(incidentId, 'open');
    return [
      {
        scope: incidentId,
        action: 'phase.reopened',
        subject: 'containment',
        payload: { title, reason: `Monitoring alert, treated as a possible recurrence: ${note}` },
      },
    ];
  }
  return [];
}
