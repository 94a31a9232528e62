/**
 * The Eradication step a least-privilege draft is evidence for: the step of the incident's pinned playbook that takes
 * away excess privilege, i.e. the first Eradication step that exercises AC-6 (least privilege). Found in the playbook,
 * not named here, so a playbook that words or orders its steps differently still gets its draft linked.
 */
import { IncidentRepository } from '../../incidents/repository';
import type { CoreContext } from '../../context';
import { pinnedPlaybook } from '../../workflow/run';

export function eradicationStepOf(ctx: CoreContext, incidentId: string): { id: string; title: string } | null {
  const incidents = new IncidentRepository(ctx.db);
  const incident = incidents.get(incidentId);
  const content = incidents.playbookContent(incidentId);
  if (!incident || content === undefined) return null;
  const { playbook } = pinnedPlaybook(incident, content);
  const phase = playbook.phases.find((p) => p.id === 'eradication');
  // Playbooks keep control ids in lower case ("ac-6").
  const step = phase?.steps.find((s) => s.kind !== 'gap-assessment' && (s.controls ?? []).some((c) => c.toLowerCase() === 'ac-6'));
  return step ? { id: step.id, title: step.title } : null;
}
