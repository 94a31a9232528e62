import type { ScanReport } from '../../../shared/cloudtrail';
import type { CoreContext } from '../../context';
import type { Actor } from '../../ledger/ledger';
import { Analyzer } from '../analyse/analyzer';
import { deriveFindings } from '../analyse/findings';
import type { HighRiskRule, HighRiskTable } from '../analyse/high-risk';
import { RowEncoder } from '../analyse/row-batch';
import { agentMatcher } from '../import/agents';
import type { Identity } from '../import/normalize';
import { EventsRepository, storedEvent } from '../store/events-repository';
import { FindingsRepository, type FindingsUpdate } from '../store/findings-repository';
import type { IncidentCloudTrail } from '../store/incident-context';

export interface IncidentAnalysis {
  report: ScanReport;
  update: FindingsUpdate;
}

/**
 * Analyses every stored event of the incident (as `cloudtrail scan` does for files) and records the result in one
 * transaction: calls re-attributed to the current agent identities, machine-speed bursts marked, findings added or
 * refreshed in the Detection & Analysis phase, and one ledger entry by the automated actor saying what changed.
 */
export function analyseIncident(ctx: CoreContext, info: IncidentCloudTrail, table: HighRiskTable, actor: Actor, subject: string): IncidentAnalysis {
  const incidentId = info.incident.id;
  const events = new EventsRepository(ctx.db);
  const matcher = agentMatcher(info.identities);
  const analyzer = new Analyzer(table, info.identities);
  const source = analyzer.newSource();
  const encoder = new RowEncoder(table, matcher, 8192, (b) => analyzer.consume(b, source));
  const rulesById = new Map(table.rules.map((r) => [r.id, r]));
  const identities = new Map<string, Identity>();
  for (const row of events.iterate(incidentId)) {
    const { ev, rules, resources } = storedEvent(row);
    let identity = identities.get(row.identity);
    if (!identity) {
      identity = ev.identity;
      if (identities.size < 50_000) identities.set(row.identity, identity);
    }
    ev.identity = identity;
    const matched = rules.map((id) => rulesById.get(id)).filter((r): r is HighRiskRule => r !== undefined);
    encoder.addNormalized(ev, matcher.match(identity), matched, () => resources);
  }
  encoder.flush();
  const report = analyzer.report([], {});
  const drafts = deriveFindings(report);
  const at = ctx.now().toISOString();
  const { reattributed: _r, burstEvents: _b, ...update } = ctx.change(
    actor,
    (u) => ({
      scope: incidentId,
      action: 'cloudtrail.analysed',
      subject,
      payload: {
        phase: info.analysisPhase,
        events: report.records,
        principals: Object.keys(report.byPrincipal).length,
        highRisk: report.highRiskSucceeded,
        highRiskFailed: report.highRiskFailed,
        agentIdentities: info.identities,
        agentCalls: report.agents.map((a) => ({ identity: a.agentIdentity, calls: a.calls, verdict: a.cadence.verdict })),
        automation: report.automation,
        newFindings: u.added,
        updatedFindings: u.updated,
        supersededFindings: u.superseded,
        reattributedEvents: u.reattributed,
        burstEvents: u.burstEvents,
      },
    }),
    () => {
      const reattributed = events.reattribute(incidentId, matcher);
      const burstEvents = events.markBursts(incidentId, analyzer.machineRanges());
      const store = new FindingsRepository(ctx.db);
      const u = store.apply(incidentId, info.analysisPhase, drafts, at);
      store.saveAnalysis(incidentId, at, { agents: report.agents, unmatchedAgents: report.unmatchedAgents, automation: report.automation, principals: Object.keys(report.byPrincipal).length });
      return { ...u, reattributed, burstEvents };
    },
  );
  return { report, update };
}
