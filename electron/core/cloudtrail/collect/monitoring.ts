import type { MonitoringCheck } from '../../../shared/cloudtrail';
import type { CoreContext } from '../../context';
import { applyMonitoringCheck } from '../../workflow/monitoring';
import { EventsRepository } from '../store/events-repository';
import { FindingsRepository } from '../store/findings-repository';
import { incidentCloudTrail } from '../store/incident-context';
import { type PullInput, type PullOptions, pullCloudTrail } from './pull';

const HOUR = 3_600_000;
const MAX_LISTED = 50;

export interface MonitoringInput extends Omit<PullInput, 'end'> {
  incidentId: string;
}

/**
 * One check of the post-recovery monitoring window: pulls the agent identities' activity since the previous check
 * (or the last 24 hours) and records either "no destructive calls by agent identities" or an alert that reopens
 * Containment. Either way the outcome is a ledger entry (`cloudtrail.monitoring-check`) the workflow reads.
 */
export async function monitoringCheck(ctx: CoreContext, input: MonitoringInput, o: PullOptions = {}): Promise<MonitoringCheck> {
  const info = incidentCloudTrail(ctx, input.incidentId);
  const store = new FindingsRepository(ctx.db);
  const previous = store.checks(input.incidentId).at(-1);
  const now = ctx.now();
  const start = input.start ?? previous?.windowEnd ?? new Date(now.getTime() - 24 * HOUR).toISOString();
  const end = now.toISOString();
  const pull = await pullCloudTrail(ctx, { ...input, start, end }, { ...o, purpose: 'monitoring' });
  const startSec = Math.floor(Date.parse(start) / 1000);
  const endSec = Math.floor(now.getTime() / 1000);
  const rows = new EventsRepository(ctx.db).agentRiskyCalls(input.incidentId, startSec, endSec);
  const alert = rows.length > 0;
  const failed = rows.filter((r) => r.error_code).length;
  const check: MonitoringCheck = {
    incidentId: input.incidentId,
    at: end,
    outcome: alert ? 'alert' : 'clear',
    windowStart: start,
    windowEnd: end,
    events: rows.slice(0, MAX_LISTED).map((r) => ({ eventID: r.event_id, eventTime: r.event_time, eventName: r.event_name, eventSource: r.event_source, principalArn: r.principal, errorCode: r.error_code })),
    reopenPhase: alert ? info.containmentPhase : null,
    message: alert
      ? `${rows.length} destructive or high-risk call${rows.length === 1 ? '' : 's'} by agent identities between ${start} and ${end}` +
        `${failed ? ` (${failed} failed)` : ''}: treat as a recurrence and reopen ${info.containmentPhase}.`
      : `No destructive calls by agent identities (${info.identities.join(', ') || 'none set'}) between ${start} and ${end}.`,
    collectionId: pull.collection.id,
  };
  const actor = ctx.automated('CloudTrail monitoring');
  ctx.change(
    actor,
    (workflow) => [
      {
        scope: input.incidentId,
        action: 'cloudtrail.monitoring-check',
        subject: check.outcome,
        payload: { ...check, eventCount: rows.length, agentIdentities: info.identities },
      },
      ...workflow,
    ],
    () => {
      store.addCheck(check);
      return applyMonitoringCheck(ctx, actor, input.incidentId, check.outcome, check.message);
    },
  );
  return check;
}
