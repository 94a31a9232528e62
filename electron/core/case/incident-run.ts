import type { Incident } from '../../shared/domain';
import type { IncidentRun } from '../../shared/workflow';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { loadRun } from '../workflow/run';
import { stepProofs } from './step-facts';

/** The incident and its guided-workflow state, as the run screen sees them; not-found names the data directory. */
export function incidentRun(ctx: CoreContext, id: string): IncidentRun {
  const incident = new IncidentRepository(ctx.db).get(id);
  if (!incident) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
  return loadRun(ctx.db, incident, ctx.now(), stepProofs(ctx.db));
}

export function incidentOf(ctx: CoreContext, id: string): Incident {
  const incident = new IncidentRepository(ctx.db).get(id);
  if (!incident) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
  return incident;
}
