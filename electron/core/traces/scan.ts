import type { TraceScanFile, TraceScanReport, TraceToolCall } from '../../shared/traces';
import { buildRuns, modelTextBefore } from './chain';
import { readCloudEvents } from './cloud-events';
import { correlate, identitiesOf } from './correlate';
import { destructiveBecause } from './destructive';
import { traceFindings } from './findings';
import { type RawStep, TraceInputError } from './raw-step';
import { readTraceFile } from './trace-file';

export interface TraceScanOptions {
  /** Cloud audit logs of the same period (CloudTrail, Azure, GCP), to tie tool calls to what happened. */
  logs?: readonly string[];
  /** The tools the agent was meant to use. */
  tools?: readonly string[];
  /** Agent identities (ARN, role, app id, service account) the user names, besides what the traces say. */
  agents?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * `firebreak trace scan`: agent traces (OTLP GenAI spans, LangSmith runs) read into runs, every tool call judged
 * destructive or not and tied to the cloud events that followed it, with the findings. Stores nothing. A file that
 * cannot be read is reported with its reason and position; the others are still analysed.
 */
export async function scanTraces(paths: readonly string[], o: TraceScanOptions = {}): Promise<TraceScanReport> {
  const files: TraceScanFile[] = [];
  const raw: RawStep[] = [];
  for (const [i, path] of paths.entries()) {
    if (o.signal?.aborted) throw new Error('cancelled');
    try {
      const r = await readTraceFile(path);
      raw.push(...r.steps);
      files.push({ path, format: r.format, status: 'ok', records: r.records, reason: null });
    } catch (e) {
      if (!(e instanceof TraceInputError)) throw e;
      files.push({ path, format: 'otlp', status: 'failed', records: 0, reason: `${e.position}: ${e.problem}` });
    }
    o.onProgress?.(`${i + 1} of ${paths.length} trace files`);
  }
  const cloud = o.logs?.length ? await readCloudEvents(o.logs, o.signal) : { events: [], files: [] };
  files.push(...cloud.files);

  const { runs, ordered } = buildRuns(raw);
  const identityOfTrace = new Map(runs.map((r) => [r.traceId, identitiesOf(r.identity, o.agents ?? [])]));
  const tools = ordered.filter((s) => s.kind === 'tool');
  const judged = tools.map((step) => {
    const because = destructiveBecause(step.tool ?? step.name, step.arguments);
    return { step, because, destructive: because !== null, identities: identityOfTrace.get(step.traceId) ?? [] };
  });
  const { links, unexplained } = correlate(judged, cloud.events);
  const destructive = judged.filter((t) => t.destructive).map((t) => t.step);
  const firstDestructive = destructive[0];
  const lastWords = firstDestructive ? modelTextBefore(ordered, firstDestructive) : null;
  const toolCalls: TraceToolCall[] = judged.map(({ step, because }) => {
    const node = findNode(runs, step);
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
      correlated: links.get(step) ?? [],
    };
  });
  const findings = traceFindings({
    ordered,
    destructive,
    tools,
    scope: o.tools ?? [],
    firstDecisionMs: lastWords ? Date.parse(lastWords.time) : null,
  });
  return { runs, toolCalls, findings, lastWordsBeforeDestruction: lastWords, unexplained, cloudEvents: cloud.events.length, files };
}

/** The redacted tree node of a step (arguments as shown to the user). */
function findNode(runs: TraceScanReport['runs'], step: RawStep) {
  const run = runs.find((r) => r.traceId === step.traceId);
  const stack = [...(run?.root ?? [])];
  while (stack.length) {
    const n = stack.pop();
    if (!n) break;
    if (n.id === step.id) return n;
    stack.push(...n.children);
  }
  return null;
}
