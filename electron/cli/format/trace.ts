import type { IncidentTraces, TraceImport, TraceScanReport, TraceStep } from '../../shared/traces';

const MAX_STEPS = 200;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The human form of `trace scan`: findings first, the model's words before the first destructive call, then each run as a tree. */
export function formatTraceScan(r: TraceScanReport): string {
  const destructive = new Set(r.toolCalls.filter((t) => t.destructive).map((t) => t.id));
  const calls = new Map(r.toolCalls.map((t) => [t.id, t]));
  const lines = [
    `${r.runs.length} run${r.runs.length === 1 ? '' : 's'}, ${r.toolCalls.length} tool calls (${destructive.size} destructive), ${r.cloudEvents} cloud events, ${r.dbStatements} database statements`,
    '',
  ];
  if (r.findings.length) {
    lines.push('Findings:');
    for (const f of r.findings) lines.push(`  [${f.severity}] ${f.title}`);
    lines.push('');
  }
  if (r.lastWordsBeforeDestruction) {
    lines.push(`What the model said before the first destructive call (${r.lastWordsBeforeDestruction.time}):`);
    for (const l of r.lastWordsBeforeDestruction.text.split('\n')) lines.push(`  > ${l}`);
    lines.push('');
  }
  let shown = 0;
  const walk = (s: TraceStep, depth: number) => {
    if (shown++ >= MAX_STEPS) return;
    const call = calls.get(s.id);
    const mark = destructive.has(s.id) ? ' [DESTRUCTIVE]' : '';
    lines.push(`${'  '.repeat(depth + 1)}${s.start}  ${s.kind} ${s.tool ?? s.name}${mark}${s.error ? ` (error: ${clip(s.error, 80)})` : ''}`);
    if (s.kind === 'model' && s.text) lines.push(`${'  '.repeat(depth + 3)}says: ${clip(s.text.replace(/\s+/g, ' '), 160)}`);
    if (s.arguments) lines.push(`${'  '.repeat(depth + 3)}arguments: ${clip(s.arguments.replace(/\s+/g, ' '), 160)}`);
    for (const c of call?.correlated ?? []) {
      const what = c.cloud === 'db' ? `database ${c.operation}${c.table ? ` ${c.table}` : ''}${c.principal ? ` by ${c.principal}` : ''}` : `${c.cloud} ${c.operation}`;
      lines.push(`${'  '.repeat(depth + 3)}-> ${what} ${c.eventID} at ${c.eventTime} (${c.confidence}: ${c.reasons.join(', ')})`);
    }
    for (const child of s.children) walk(child, depth + 1);
  };
  for (const run of r.runs) {
    lines.push(`Run ${run.traceId}: ${run.agent} (${run.format}, ${run.steps} ${run.steps === 1 ? 'step' : 'steps'}, ${run.start} to ${run.end ?? 'unfinished'})`);
    for (const s of run.root) walk(s, 0);
    lines.push('');
  }
  if (shown > MAX_STEPS) lines.push(`... ${shown - MAX_STEPS} more steps (use --json for all)`, '');
  if (r.unexplained.length) {
    const what = r.unexplained.some((e) => e.cloud === 'db') ? 'cloud events and database statements' : 'cloud events';
    lines.push(`Destructive ${what} no tool call explains (${r.unexplained.length}):`);
    for (const e of r.unexplained) lines.push(`  ${e.eventTime}  ${e.cloud} ${e.operation} ${e.eventID}  ${e.principal}${e.resources.length ? `  ${e.resources.slice(0, 2).join(', ')}` : ''}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** The human form of `trace import`: the evidence taken ('<sha256>  <file>' as sha256sum prints), then what was recorded. */
export function formatTraceImport(t: TraceImport): string {
  const lines = t.evidence.map((e) => `${e.sha256}  ${e.path}`);
  lines.push(
    `${t.id}: ${t.evidence.length} trace file${t.evidence.length === 1 ? '' : 's'} taken as evidence (${t.evidence.map((e) => e.id).join(', ')}); ${t.runs} run${t.runs === 1 ? '' : 's'}, ${t.toolCalls} tool calls (${t.destructive} destructive) recorded in ${t.incidentId}`,
  );
  for (const f of t.findings) lines.push(`  [${f.severity}] ${f.title}`);
  return `${lines.join('\n')}\n`;
}

/** The human form of `trace show`: each import, then the chain as `trace scan` prints it. */
export function formatIncidentTraces(c: IncidentTraces): string {
  if (c.imports.length === 0) return 'No agent traces imported yet (firebreak trace import INCIDENT FILE...).\n';
  const imports = c.imports.map((t) => `${t.id} (${t.importedAt}): ${t.evidence.map((e) => `${e.id} ${e.path}`).join(', ')}`);
  const findings = c.imports.flatMap((t) => t.findings);
  const lastWords = c.imports.find((t) => t.lastWordsBeforeDestruction)?.lastWordsBeforeDestruction ?? null;
  const chain = formatTraceScan({ runs: c.runs, toolCalls: c.toolCalls, findings, lastWordsBeforeDestruction: lastWords, unexplained: c.unexplained, cloudEvents: c.cloudEvents, dbStatements: c.dbStatements, files: [] });
  return `${imports.join('\n')}\n\n${chain}`;
}
