import type { SELF_FILING_RECORDS } from '../../shared/playbook/vocabulary';
import { IncidentRepository } from '../incidents/repository';
import type { Db } from '../store/database';
import { pinnedPlaybook } from './run';

export type SelfFilingRecord = (typeof SELF_FILING_RECORDS)[number];

/**
 * The evidence artifacts of an incident's pinned playbook that a record of this kind fills (their `filledBy`), so a
 * compare lands on the recovered-state artifact without a manual link. Visible or not: a skipped artifact asks nothing.
 */
export function artifactsFilledBy(db: Db, incidentId: string, kind: SelfFilingRecord): string[] {
  const incidents = new IncidentRepository(db);
  const incident = incidents.get(incidentId);
  const content = incidents.playbookContent(incidentId);
  if (!incident || content === undefined) return [];
  const { playbook } = pinnedPlaybook(incident, content);
  return playbook.phases.flatMap((p) =>
    p.steps.flatMap((s) => (s.kind === 'evidence' ? s.artifacts.filter((a) => a.filledBy?.includes(kind)).map((a) => a.id) : [])),
  );
}
