import type { FindingKind, FindingsSummary, MonitoringCheck } from '../../shared/cloudtrail';
import type { CoreContext } from '../context';
import { applyMonitoringCheck } from '../workflow/monitoring';
import { CollectionsRepository } from './collections-repository';
import { EventsRepository } from './events-repository';
import { FindingsRepository } from './findings-repository';
import { incidentCloudTrail } from './incident-context';
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

export function findingsSummary(ctx: CoreContext, incidentId: string): FindingsSummary {
  const info = incidentCloudTrail(ctx, incidentId);
  const store = new FindingsRepository(ctx.db);
  const findings = store.list(incidentId);
  const counts: Record<FindingKind, number> = { 'high-risk': 0, 'high-risk-attempt': 0, 'machine-cadence': 0, automation: 0, movement: 0, 'first-destructive': 0 };
  for (const f of findings) counts[f.kind]++;
  const stats = new EventsRepository(ctx.db).stats(incidentId);
  const last = store.lastAnalysis(incidentId);
  const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
  return {
    incidentId,
    events: stats.events,
    firstEventTime: iso(stats.first),
    lastEventTime: iso(stats.last),
    agentIdentities: info.identities,
    findings,
    counts,
    principals: last?.principals ?? 0,
    agents: last?.agents ?? [],
    automation: last?.automation ?? [],
    collections: new CollectionsRepository(ctx.db).list(incidentId),
    monitoring: store.checks(incidentId),
  };
}
