import type { IncidentTraces, TraceFinding, TraceImport, TraceRun, TraceStep, TraceToolCall } from '../../shared/traces';
import type { Db } from '../store/database';
import type { TraceAnalysis } from './analyse';

interface ImportRow {
  id: string;
  incident_id: string;
  evidence_ids: string;
  runs: number;
  tool_calls: number;
  destructive: number;
  findings: string;
  last_words: string | null;
  imported_at: string;
}

interface RunRow {
  trace_id: string;
  agent: string;
  format: TraceRun['format'];
  started_at: string;
  ended_at: string | null;
  steps: number;
  tree: string;
}

interface CallRow {
  trace_id: string;
  step_id: string;
  name: string;
  started_at: string;
  ended_at: string | null;
  destructive: number;
  destructive_because: string | null;
  arguments: string | null;
  error: string | null;
  correlated: string;
}

/** Imported agent traces: the import, its runs (each tree as JSON) and its tool calls. */
export class TracesRepository {
  constructor(private readonly db: Db) {}

  insert(incidentId: string, evidence: TraceImport['evidence'], a: TraceAnalysis, at: string): TraceImport {
    const num = ((this.db.prepare('SELECT max(num) AS n FROM trace_imports').get() as { n: number | null }).n ?? 0) + 1;
    const id = `TR-${String(num).padStart(6, '0')}`;
    const destructive = a.toolCalls.filter((t) => t.destructive).length;
    this.db
      .prepare('INSERT INTO trace_imports (num, id, incident_id, evidence_ids, runs, tool_calls, destructive, findings, last_words, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(num, id, incidentId, JSON.stringify(evidence), a.runs.length, a.toolCalls.length, destructive, JSON.stringify(a.findings), a.lastWordsBeforeDestruction ? JSON.stringify(a.lastWordsBeforeDestruction) : null, at);
    const run = this.db.prepare('INSERT INTO trace_runs (import_id, incident_id, trace_id, agent, format, started_at, ended_at, steps, tree) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of a.runs) run.run(id, incidentId, r.traceId, r.agent, r.format, r.start, r.end, r.steps, JSON.stringify({ identity: r.identity, root: r.root }));
    const call = this.db.prepare(
      'INSERT INTO trace_tool_calls (import_id, incident_id, trace_id, step_id, name, started_at, ended_at, destructive, destructive_because, arguments, error, correlated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const t of a.toolCalls) call.run(id, incidentId, t.traceId, t.id, t.name, t.start, t.end, t.destructive ? 1 : 0, t.destructiveBecause, t.arguments, t.error, JSON.stringify(t.correlated));
    return this.importOf(this.db.prepare('SELECT * FROM trace_imports WHERE id = ?').get(id) as ImportRow);
  }

  private importOf(r: ImportRow): TraceImport {
    return {
      id: r.id,
      incidentId: r.incident_id,
      evidence: JSON.parse(r.evidence_ids) as TraceImport['evidence'],
      runs: r.runs,
      toolCalls: r.tool_calls,
      destructive: r.destructive,
      findings: JSON.parse(r.findings) as TraceFinding[],
      lastWordsBeforeDestruction: r.last_words ? (JSON.parse(r.last_words) as TraceImport['lastWordsBeforeDestruction']) : null,
      importedAt: r.imported_at,
    };
  }

  imports(incidentId: string): TraceImport[] {
    return (this.db.prepare('SELECT * FROM trace_imports WHERE incident_id = ? ORDER BY num').all(incidentId) as ImportRow[]).map((r) => this.importOf(r));
  }

  /** What was recorded at import; `incidentChain` correlates it with the incident's record as it stands when read. */
  chain(incidentId: string): Pick<IncidentTraces, 'imports' | 'runs' | 'toolCalls'> {
    const runs = (this.db.prepare('SELECT * FROM trace_runs WHERE incident_id = ? ORDER BY started_at, trace_id').all(incidentId) as RunRow[]).map((r): TraceRun => {
      const tree = JSON.parse(r.tree) as { identity: Record<string, string>; root: TraceStep[] };
      return { traceId: r.trace_id, agent: r.agent, format: r.format, start: r.started_at, end: r.ended_at, identity: tree.identity, steps: r.steps, root: tree.root };
    });
    const toolCalls = (this.db.prepare('SELECT * FROM trace_tool_calls WHERE incident_id = ? ORDER BY started_at, step_id').all(incidentId) as CallRow[]).map(
      (c): TraceToolCall => ({
        id: c.step_id,
        traceId: c.trace_id,
        name: c.name,
        start: c.started_at,
        end: c.ended_at,
        destructive: c.destructive === 1,
        destructiveBecause: c.destructive_because,
        arguments: c.arguments,
        error: c.error,
        correlated: JSON.parse(c.correlated) as TraceToolCall['correlated'],
      }),
    );
    return { imports: this.imports(incidentId), runs, toolCalls };
  }
}
