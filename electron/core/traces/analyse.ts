import type { TraceScanReport, TraceStep, TraceToolCall } from '../../shared/traces';
import type { CloudEvent } from '../cloudtrail/model/cloud-event';
import { buildRuns, modelTextBefore } from './chain';
import { correlate, identitiesOf } from './correlate';
import { type DbChange, correlateDb, mergeLinks } from './db-correlate';
import { destructiveBecause } from './destructive';
import { traceFindings } from './findings';
import type { RawStep } from './raw-step';

export type TraceAnalysis = Omit<TraceScanReport, 'files' | 'cloudEvents' | 'dbStatements'>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The decision chain of the steps read (any files, any format): runs as trees, every tool call judged destructive and
 * tied to the cloud events given, the model's words before the first destructive call, and the findings.
 */
export interface AnalyseOptions {
  tools?: readonly string[];
  agents?: readonly string[];
  freeze?: { startMs: number; endMs: number } | null;
  /** Statements from the databases' own logs, and the database logins that are the agent's. */
  db?: readonly DbChange[];
  dbLogins?: readonly string[];
}

export function analyseTraces(raw: readonly RawStep[], events: readonly CloudEvent[], o: AnalyseOptions): TraceAnalysis {
  const { runs, ordered } = buildRuns(raw);
  const identityOfTrace = new Map(runs.map((r) => [r.traceId, identitiesOf(r.identity, o.agents ?? [])]));
  const tools = ordered.filter((s) => s.kind === 'tool');
  const judged = tools.map((step) => {
    const because = destructiveBecause(step.tool ?? step.name, step.arguments);
    return { step, because, destructive: because !== null, identities: identityOfTrace.get(step.traceId) ?? [] };
  });
  const cloud = correlate(judged, events);
  const db = correlateDb(judged, o.db ?? [], [...(o.dbLogins ?? []), ...(o.agents ?? [])]);
  const unexplained = [...cloud.unexplained, ...db.unexplained].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  const destructive = judged.filter((t) => t.destructive).map((t) => t.step);
  const firstDestructive = destructive[0];
  const lastWords = firstDestructive ? modelTextBefore(ordered, firstDestructive) : null;
  const nodes = nodesOf(runs);
  const toolCalls: TraceToolCall[] = judged.map(({ step, because }) => {
    const node = nodes.get(`${step.traceId}/${step.id}`);
    return {
      id: step.id,
      traceId: step.traceId,
      name: step.tool ?? step.name,
      start: iso(step.startMs) as string,
      end: iso(step.endMs),
      destructive: because !== null,
      destructiveBecause: because,
      arguments: node?.arguments ?? null,
      error: step.error,
      correlated: mergeLinks(cloud.links.get(step) ?? [], db.links.get(step) ?? []),
    };
  });
  const findings = traceFindings({
    ordered,
    destructive,
    tools,
    scope: o.tools ?? [],
    firstDecisionMs: lastWords ? Date.parse(lastWords.time) : null,
    freeze: o.freeze ?? null,
  });
  return { runs, toolCalls, findings, lastWordsBeforeDestruction: lastWords, unexplained };
}

/** Every redacted tree node by trace and step id (arguments as shown to the user), found in one walk. */
function nodesOf(runs: TraceScanReport['runs']): Map<string, TraceStep> {
  const out = new Map<string, TraceStep>();
  const stack = runs.flatMap((r) => r.root);
  for (let n = stack.pop(); n; n = stack.pop()) {
    out.set(`${n.traceId}/${n.id}`, n);
    stack.push(...n.children);
  }
  return out;
}
