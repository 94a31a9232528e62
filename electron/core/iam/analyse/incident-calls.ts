/**
 * The "did" side for an incident: the calls its imported cloud events show for one identity. The one place the IAM
 * domain reads the event store, so a change of the event model changes only this function.
 */
import { loadHighRiskTable } from '../../cloudtrail/analyse/high-risk-load';
import { agentMatcher } from '../../cloudtrail/import/agents';
import { EventsRepository } from '../../cloudtrail/store/events-repository';
import type { CoreContext } from '../../context';
import type { ObservedCall } from './calls';

const PAGE = 1000;

/** `withResources` also reads each call's resources (one detail read per call: only the least-privilege draft needs them). */
export function incidentCalls(ctx: CoreContext, incidentId: string, identityArn: string, withResources = false): ObservedCall[] {
  const events = new EventsRepository(ctx.db);
  const table = withResources ? loadHighRiskTable(ctx.resourcesDir) : null;
  const matcher = agentMatcher([identityArn]);
  const out: ObservedCall[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = events.page(incidentId, {}, offset, PAGE);
    for (const e of page.events) {
      const id = { type: e.principalType, arn: e.principalArn, principalId: null, accountId: null, accessKeyId: null, userName: null, issuerArn: null, issuerName: null, sessionName: null, sourceIdentity: null, invokedBy: null };
      if (!matcher.match(id)) continue;
      const resources = table ? (events.detail(incidentId, e.eventID, table)?.resources ?? []) : [];
      out.push({ eventSource: e.eventSource, eventName: e.eventName, eventTime: e.eventTime, errorCode: e.errorCode, resources });
    }
    if (offset + PAGE >= page.total) return out;
  }
}
