import type { ReportAgentTraces } from '../../shared/reports';
import type { Db } from '../store/database';
import { TracesRepository } from '../traces/traces-repository';

/** The incident's imported decision chain for its report: totals, the model's words, the findings, the destructive calls. */
export function reportAgentTraces(db: Db, incidentId: string): ReportAgentTraces | null {
  const chain = new TracesRepository(db).chain(incidentId);
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
      correlated: t.correlated.map((c) => `${c.cloud} ${c.operation} ${c.eventID} (${c.confidence}: ${c.reasons.join(', ')})`),
    })),
  };
}
