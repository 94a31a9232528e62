import type { FindingKind, FindingsSummary } from '../../../shared/cloudtrail';
import type { CoreContext } from '../../context';
import { CollectionsRepository } from './collections-repository';
import { EventsRepository } from './events-repository';
import { AnalysisRunsRepository } from './analysis-runs-repository';
import { FindingsRepository } from './findings-repository';
import { incidentCloudTrail } from './incident-context';

/** What the CloudTrail panel, the reports and the sign-off read of an incident's CloudTrail: counts, findings, checks. */
export function findingsSummary(ctx: CoreContext, incidentId: string): FindingsSummary {
  const info = incidentCloudTrail(ctx, incidentId);
  const store = new FindingsRepository(ctx.db);
  const findings = store.list(incidentId);
  const counts: Record<FindingKind, number> = { 'high-risk': 0, 'high-risk-attempt': 0, 'machine-cadence': 0, automation: 0, movement: 0, 'first-destructive': 0 };
  for (const f of findings) counts[f.kind]++;
  const stats = new EventsRepository(ctx.db).stats(incidentId);
  const last = store.lastAnalysis(incidentId);
  const run = new AnalysisRunsRepository(ctx.db).get(incidentId);
  const running = run?.state === 'analysing' ? run : null;
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
    unmatchedAgents: last?.unmatchedAgents ?? [],
    automation: last?.automation ?? [],
    collections: new CollectionsRepository(ctx.db).list(incidentId),
    monitoring: store.checks(incidentId),
    analysing: running ? { since: running.startedAt, generation: running.generation } : null,
  };
}
