import type { ReportAgentTraces } from '../../shared/reports';
import type { CorrelatedEvent, UnexplainedCloudEvent } from '../../shared/traces';
import type { CoreContext } from '../context';
import { incidentChain } from '../traces/incident-chain';

const cloudLine = (c: CorrelatedEvent) => `${c.cloud} ${c.operation} ${c.eventID} (${c.confidence}: ${c.reasons.join(', ')})`;

/** A database change as the report names it: what, on which table, by which login, where in the log, and why it is tied. */
const dbLine = (c: CorrelatedEvent) =>
  `${c.operation}${c.table ? ` ${c.table}` : ''}${c.rows !== null && c.rows !== undefined ? ` (${c.rows} rows)` : ''}${c.principal ? ` by ${c.principal}` : ''} at ${c.eventTime} ${c.eventID} (${c.confidence}: ${c.reasons.join(', ')})`;

const unexplainedLine = (u: UnexplainedCloudEvent) =>
  u.cloud === 'db'
    ? `database ${u.operation}${u.resources[0] ? ` ${u.resources[0]}` : ''}${u.principal ? ` by ${u.principal}` : ''} at ${u.eventTime} (${u.eventID})`
    : `${u.cloud} ${u.operation} by ${u.principal} at ${u.eventTime} (${u.eventID})`;

/**
 * The incident's decision chain for its report: totals, the model's words, the findings, the destructive calls with the
 * cloud events and database changes tied to them (correlated against the record as it stands when the report is made).
 */
export function reportAgentTraces(ctx: CoreContext, incidentId: string): ReportAgentTraces | null {
  const chain = incidentChain(ctx, incidentId);
  if (chain.imports.length === 0) return null;
  const destructive = chain.toolCalls.filter((t) => t.destructive);
  const words = chain.imports.map((i) => i.lastWordsBeforeDestruction).find((w) => w !== null) ?? null;
  return {
    imports: chain.imports.map((i) => ({ id: i.id, evidenceIds: i.evidence.map((e) => e.id) })),
    runs: chain.runs.length,
    toolCalls: chain.toolCalls.length,
    destructive: destructive.length,
    lastWordsBeforeDestruction: words ? { time: words.time, text: words.text } : null,
    findings: chain.imports.flatMap((i) => i.findings.map((f) => ({ kind: f.kind, severity: f.severity, title: `${f.title} (${i.id})` }))),
    calls: destructive.map((t) => ({
      name: t.name,
      start: t.start,
      because: t.destructiveBecause,
      arguments: t.arguments,
      correlated: t.correlated.filter((c) => c.cloud !== 'db').map(cloudLine),
      databaseChanges: t.correlated.filter((c) => c.cloud === 'db').map(dbLine),
    })),
    unexplained: chain.unexplained.map(unexplainedLine),
  };
}
