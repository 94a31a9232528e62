import { type RawStep, TraceInputError, asText, record } from './raw-step';

/** A LangSmith time: epoch milliseconds (JS SDK) or ISO 8601, with or without a zone (exports omit it: UTC). */
function timeOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v !== 'string' || v === '') return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** dotted_order is `<time>Z<run id>` per ancestor joined by dots: the last names the run, the one before its parent. */
function idsFromDottedOrder(dotted: unknown): { id: string | null; parent: string | null } {
  if (typeof dotted !== 'string') return { id: null, parent: null };
  const ids = dotted.split('.').map((seg) => seg.slice(seg.indexOf('Z') + 1));
  return { id: ids.at(-1) || null, parent: ids.length > 1 ? (ids.at(-2) ?? null) : null };
}

/** The microseconds of a run's own dotted_order segment (`20241013T070537170001Z...`), which orders runs of one millisecond. */
function dottedMicros(dotted: unknown): number | null {
  if (typeof dotted !== 'string') return null;
  const m = /(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{6})Z[^.]*$/.exec(dotted);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, us] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) * 1000 + Number(us);
}

/** What the model said: OpenAI choices, LangChain generations, or a plain output. */
function modelText(outputs: Record<string, unknown> | null): string | null {
  if (!outputs) return null;
  const parts: string[] = [];
  for (const c of Array.isArray(outputs.choices) ? outputs.choices : []) {
    const content = record(record(c)?.message)?.content;
    if (typeof content === 'string' && content) parts.push(content);
  }
  for (const g of Array.isArray(outputs.generations) ? outputs.generations.flat() : []) {
    const gen = record(g);
    const text = gen?.text ?? record(record(gen?.message)?.kwargs)?.content;
    if (typeof text === 'string' && text) parts.push(text);
  }
  if (!parts.length) {
    const plain = outputs.content ?? outputs.output ?? outputs.text;
    if (typeof plain === 'string' && plain) parts.push(plain);
  }
  return parts.length ? parts.join('\n') : null;
}

/** A tool's arguments: LangChain wraps a single string input as `{"input": ...}`. */
function toolArguments(inputs: unknown): string | null {
  const o = record(inputs);
  if (o && Object.keys(o).length === 1 && typeof o.input === 'string') return o.input;
  return asText(inputs);
}

function kindOf(runType: unknown, isRoot: boolean): RawStep['kind'] {
  if (runType === 'llm') return 'model';
  if (runType === 'tool') return 'tool';
  if (runType === 'chain' && isRoot) return 'agent';
  return 'other';
}

function identityOf(run: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const metadata = record(record(run.extra)?.metadata);
  for (const [k, v] of Object.entries(metadata ?? {})) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  if (typeof run.session_name === 'string') out.session_name = run.session_name;
  return out;
}

/**
 * LangSmith runs as the SDK posts them (`{"post": [...], "patch": [...]}` batches: a patch completes the run its id or
 * dotted_order names) or as exported (one run, an array of runs, or one run per line), merged by run id.
 */
export class LangSmithRuns {
  private runs = new Map<string, { run: Record<string, unknown>; position: number; file: string }>();

  add(v: unknown, file: string, where: string, position: number): void {
    const doc = record(v);
    if (doc && (Array.isArray(doc.post) || Array.isArray(doc.patch))) {
      for (const r of Array.isArray(doc.post) ? doc.post : []) this.merge(r, file, `${where}, post`, position);
      for (const r of Array.isArray(doc.patch) ? doc.patch : []) this.merge(r, file, `${where}, patch`, position);
    } else if (Array.isArray(v)) v.forEach((r, i) => this.merge(r, file, `${where}, run ${i + 1}`, position));
    else this.merge(v, file, where, position);
  }

  private merge(v: unknown, file: string, where: string, position: number): void {
    const run = record(v);
    if (!run) throw new TraceInputError(file, where, 'a run is not an object');
    const id = typeof run.id === 'string' ? run.id : idsFromDottedOrder(run.dotted_order).id;
    if (!id) throw new TraceInputError(file, where, 'a run without id or dotted_order');
    const known = this.runs.get(id);
    // A patch adds end_time, outputs and error; keys it leaves out keep what the post said.
    if (known) known.run = { ...known.run, ...Object.fromEntries(Object.entries(run).filter(([, x]) => x !== undefined && x !== null)) };
    else this.runs.set(id, { run: { ...run, id }, position, file });
  }

  steps(): RawStep[] {
    const steps: RawStep[] = [];
    for (const [id, { run, position, file }] of this.runs) {
      const startMs = timeOf(run.start_time);
      if (startMs === null) throw new TraceInputError(file, `line ${position}`, `run ${id} has no valid start_time`);
      const fromDotted = idsFromDottedOrder(run.dotted_order);
      const parentId = typeof run.parent_run_id === 'string' ? run.parent_run_id : fromDotted.parent;
      const kind = kindOf(run.run_type, parentId === null);
      const name = typeof run.name === 'string' ? run.name : String(run.run_type ?? 'run');
      const outputs = record(run.outputs);
      steps.push({
        id,
        traceId: typeof run.trace_id === 'string' ? run.trace_id : id,
        parentId,
        kind,
        name,
        startMs,
        startUs: dottedMicros(run.dotted_order) ?? startMs * 1000,
        endMs: timeOf(run.end_time),
        tool: kind === 'tool' ? name : null,
        toolCallId: asText(record(record(run.extra)?.metadata)?.tool_call_id) ?? null,
        arguments: kind === 'tool' ? toolArguments(run.inputs) : null,
        result: kind === 'tool' ? asText(outputs && Object.keys(outputs).length === 1 && 'output' in outputs ? outputs.output : run.outputs) : null,
        text: kind === 'model' ? modelText(outputs) : null,
        error: asText(run.error),
        agent: kind === 'agent' ? name : null,
        identity: identityOf(run),
        format: 'langsmith',
        source: { file, position },
      });
    }
    return steps;
  }
}
