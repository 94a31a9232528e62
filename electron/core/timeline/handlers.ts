import type { ApiHandlers } from '../../shared/contract/index';
import type { timelineContract } from '../../shared/contract/timeline';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { IncidentTimeline } from './incident-timeline';

type TimelineMethod = keyof typeof timelineContract;

export function timelineHandlers(ctx: CoreContext): Pick<ApiHandlers, TimelineMethod> {
  // One per context: its prepared statements and the text search's distinct values outlive a call.
  const timeline = new IncidentTimeline(ctx.db);
  const incidents = new IncidentRepository(ctx.db);
  return {
    'timeline.page': ({ incidentId, filter, after, limit }) => {
      if (!incidents.get(incidentId)) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
      return timeline.page(incidentId, filter, after, limit);
    },
  };
}
