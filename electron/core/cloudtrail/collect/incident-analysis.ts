import { hostname } from 'node:os';
import type { ScanReport } from '../../../shared/cloudtrail';
import type { CoreContext } from '../../context';
import type { Actor } from '../../ledger/ledger';
import { Analyzer } from '../analyse/analyzer';
import { deriveFindings } from '../analyse/findings';
import type { HighRiskRule, HighRiskTable } from '../analyse/high-risk';
import { RowEncoder } from '../analyse/row-batch';
import { agentMatcher } from '../import/agents';
import type { Identity } from '../import/normalize';
import { AnalysisBatchesRepository } from '../store/analysis-batches-repository';
import { AnalysisRunsRepository } from '../store/analysis-runs-repository';
import { EventsRepository, storedEvent } from '../store/events-repository';
import { FindingsRepository, type FindingsUpdate } from '../store/findings-repository';
import type { IncidentCloudTrail } from '../store/incident-context';

export interface IncidentAnalysis {
  report: ScanReport;
  update: FindingsUpdate;
}

/**
 * Rowids per write transaction of an analysis. A batch of this many rows updates in well under a second even on a
 * busy machine, so a writer in another process (a step done, an evidence add) waits at most that long for its turn,
 * where one transaction over a million events held the lock for minutes.
 */
export const ANALYSIS_BATCH_ROWS = 10_000;

/**
 * Analyses every stored event of the incident (as `cloudtrail scan` does for files) and records the result: calls
 * re-attributed to the current agent identities, machine-speed bursts marked, findings added or refreshed in the
 * Detection & Analysis phase.
 *
 * The reading takes no lock. The writing commits in bounded transactions, so other writers get the lock between them:
 * one marks the analysis begun ('analysing', with its generation; ledger: cloudtrail.analysis-started), then batches of
 * ANALYSIS_BATCH_ROWS rows re-attribute calls and mark bursts (ledger: one cloudtrail.analysis-batch entry for each
 * batch that changed rows, saying which rows and how many; a batch that changed nothing changed no state and records
 * nothing), and the last one stores the findings and marks the analysis done (ledger: cloudtrail.analysed, with what
 * changed in all). While the state is 'analysing', readers say the attribution and marks are being redone (see
 * findingsSummary). A process that dies mid-way leaves 'analysing' behind, and the next start resumes it
 * (resumeInterruptedAnalyses): every batch is idempotent, so running the whole analysis again completes it.
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

  const runs = new AnalysisRunsRepository(ctx.db);
  const generation = ctx.change(
    actor,
    (g) => ({ scope: incidentId, action: 'cloudtrail.analysis-started', subject, payload: { generation: g, events: report.records, agentIdentities: info.identities } }),
    () => runs.begin(incidentId, ctx.now().toISOString(), `${hostname()}:${process.pid}`, subject),
  );

  // Filled once, outside any transaction (temporary tables take no lock on the database file).
  const batch = new AnalysisBatchesRepository(ctx.db);
  batch.prepareAgentMatches(incidentId, matcher);
  batch.prepareBurstRanges(analyzer.machineRanges());
  let reattributed = 0;
  let batches = 0;
  const span = batch.rowidSpan(incidentId);
  try {
    for (let from = span?.first ?? 1; span && from <= span.last; from += ANALYSIS_BATCH_ROWS) {
      const to = Math.min(span.last, from + ANALYSIS_BATCH_ROWS - 1);
      const changed = ctx.change(
        actor,
        (c) =>
          c.agents || c.bursts
            ? { scope: incidentId, action: 'cloudtrail.analysis-batch', subject, payload: { generation, rows: [from, to], reattributedEvents: c.agents, burstMarksChanged: c.bursts } }
            : null,
        () => ({ agents: batch.reattributeBatch(incidentId, from, to), bursts: batch.markBurstsBatch(incidentId, from, to) }),
      );
      reattributed += changed.agents;
      batches += 1;
    }
  } finally {
    batch.clearAnalysisScratch();
  }

  const at = ctx.now().toISOString();
  const { burstEvents: _b, ...update } = ctx.change(
    actor,
    (u) => ({
      scope: incidentId,
      action: 'cloudtrail.analysed',
      subject,
      payload: {
        generation,
        batches,
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
        reattributedEvents: reattributed,
        burstEvents: u.burstEvents,
      },
    }),
    () => {
      const store = new FindingsRepository(ctx.db);
      const u = store.apply(incidentId, info.analysisPhase, drafts, at);
      store.saveAnalysis(incidentId, at, { agents: report.agents, unmatchedAgents: report.unmatchedAgents, automation: report.automation, principals: Object.keys(report.byPrincipal).length });
      runs.finish(incidentId, generation, at);
      return { ...u, burstEvents: batch.burstCount(incidentId) };
    },
  );
  return { report, update };
}
