import type { TraceRun, TraceStep } from '../../shared/traces';
import { redactSecrets } from '../evidence/secret-scan';
import type { RawStep } from './raw-step';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const byStart = (a: RawStep, b: RawStep) => a.startUs - b.startUs || (a.id < b.id ? -1 : 1);

/** The steps of all files as runs: one tree per trace id, children in time order, on one time axis. */
export function buildRuns(raw: readonly RawStep[]): { runs: TraceRun[]; ordered: RawStep[] } {
  const unique = new Map<string, RawStep>();
  for (const s of raw) unique.set(`${s.traceId}/${s.id}`, s);
  const ordered = [...unique.values()].sort(byStart);
  const nodes = new Map<string, TraceStep>();
  for (const s of ordered) {
    nodes.set(`${s.traceId}/${s.id}`, {
      id: s.id,
      traceId: s.traceId,
      parentId: s.parentId,
      kind: s.kind,
      name: s.name,
      start: iso(s.startMs) as string,
      end: iso(s.endMs),
      tool: s.tool,
      toolCallId: s.toolCallId,
      arguments: s.arguments === null ? null : redactSecrets(s.arguments),
      result: s.result === null ? null : redactSecrets(s.result),
      text: s.text === null ? null : redactSecrets(s.text),
      error: s.error,
      source: s.source,
      children: [],
    });
  }
  const byTrace = new Map<string, { roots: TraceStep[]; steps: RawStep[] }>();
  for (const s of ordered) {
    const node = nodes.get(`${s.traceId}/${s.id}`) as TraceStep;
    const parent = s.parentId ? nodes.get(`${s.traceId}/${s.parentId}`) : undefined;
    const t = byTrace.get(s.traceId) ?? { roots: [], steps: [] };
    byTrace.set(s.traceId, t);
    t.steps.push(s);
    // A span whose parent was not exported stays a root of its trace rather than being dropped.
    if (parent) parent.children.push(node);
    else t.roots.push(node);
  }
  const runs: TraceRun[] = [...byTrace.entries()].map(([traceId, { roots, steps }]) => {
    const agentStep = steps.find((s) => s.kind === 'agent') ?? steps[0];
    const identity: Record<string, string> = {};
    for (const s of steps) Object.assign(identity, s.identity);
    const end = steps.reduce<number | null>((max, s) => (s.endMs !== null && (max === null || s.endMs > max) ? s.endMs : max), null);
    return {
      traceId,
      agent: steps.find((s) => s.agent)?.agent ?? identity['service.name'] ?? agentStep?.name ?? traceId,
      format: agentStep?.format ?? 'otlp',
      start: iso(steps[0]?.startMs ?? 0) as string,
      end: iso(end),
      identity,
      steps: steps.length,
      root: roots,
    };
  });
  return { runs, ordered };
}

/** The model's last words before a step: the latest model turn with text that began before it, in its trace. */
export function modelTextBefore(ordered: readonly RawStep[], step: RawStep): { stepId: string; time: string; text: string } | null {
  let best: RawStep | null = null;
  for (const s of ordered) {
    if (s.startUs >= step.startUs) break;
    if (s.traceId === step.traceId && s.kind === 'model' && s.text) best = s;
  }
  return best && best.text ? { stepId: best.id, time: iso(best.endMs ?? best.startMs) as string, text: redactSecrets(best.text) } : null;
}
