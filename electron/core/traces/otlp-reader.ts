import { type RawStep, TraceInputError, asText, record } from './raw-step';

/** An OTLP AnyValue (`{"stringValue": ...}`, `{"intValue": "3"}`, arrays and key-value lists) as plain JSON. */
function anyValue(v: unknown): unknown {
  const o = record(v);
  if (!o) return null;
  if ('stringValue' in o) return o.stringValue;
  if ('boolValue' in o) return o.boolValue;
  if ('intValue' in o) return Number(o.intValue);
  if ('doubleValue' in o) return o.doubleValue;
  if ('arrayValue' in o) return (Array.isArray(record(o.arrayValue)?.values) ? (record(o.arrayValue)?.values as unknown[]) : []).map(anyValue);
  if ('kvlistValue' in o) return attributes(record(o.kvlistValue)?.values);
  return null;
}

function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    const o = record(kv);
    if (o && typeof o.key === 'string') out[o.key] = anyValue(o.value);
  }
  return out;
}

/** Trace and span ids are hex in OTLP JSON; protobuf-JSON writers emit base64, which is turned into hex here. */
function spanId(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  if (/^[0-9a-f]+$/i.test(v) && (v.length === 16 || v.length === 32)) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

const nanosTo = (v: unknown, unit: bigint): number | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  try {
    return Number(BigInt(v) / unit);
  } catch {
    return null;
  }
};
const nanosToMs = (v: unknown) => nanosTo(v, 1_000_000n);

/** GenAI semantic conventions: the operation decides what a span is; span names are the fallback. */
function kindOf(op: string | null, name: string): RawStep['kind'] {
  if (op === 'invoke_agent' || op === 'create_agent') return 'agent';
  if (op === 'execute_tool') return 'tool';
  if (op === 'chat' || op === 'text_completion' || op === 'generate_content') return 'model';
  if (/^execute_tool\b/.test(name)) return 'tool';
  if (/^invoke_agent\b/.test(name)) return 'agent';
  return 'other';
}

/** The model's words: gen_ai.output.messages (text parts) or the older gen_ai.completion attribute and events. */
function modelText(attrs: Record<string, unknown>, events: unknown): string | null {
  const out = attrs['gen_ai.output.messages'] ?? attrs['gen_ai.completion'];
  const parts: string[] = [];
  const collect = (v: unknown) => {
    let msgs = v;
    if (typeof v === 'string') {
      try {
        msgs = JSON.parse(v);
      } catch {
        parts.push(v);
        return;
      }
    }
    for (const m of Array.isArray(msgs) ? msgs : [msgs]) {
      const o = record(m);
      if (!o) continue;
      if (typeof o.content === 'string') parts.push(o.content);
      for (const p of Array.isArray(o.parts) ? o.parts : []) {
        const part = record(p);
        if (part && typeof part.content === 'string' && (part.type === 'text' || part.type === undefined)) parts.push(part.content);
      }
    }
  };
  if (out !== undefined) collect(out);
  for (const e of Array.isArray(events) ? events : []) {
    const ev = record(e);
    if (ev?.name === 'gen_ai.choice' || ev?.name === 'gen_ai.assistant.message') collect(attributes(ev.attributes));
  }
  return parts.length ? parts.join('\n') : null;
}

/**
 * One OTLP JSON export request (`{"resourceSpans": [...]}`) as raw steps. `position` is the line (JSON lines) or 1
 * (one document); a span is named by its index inside the request when something is wrong with it.
 */
export function readOtlpRequest(doc: Record<string, unknown>, file: string, position: number): RawStep[] {
  if (!Array.isArray(doc.resourceSpans)) throw new TraceInputError(file, `line ${position}`, 'resourceSpans is not an array');
  const steps: RawStep[] = [];
  doc.resourceSpans.forEach((rs, ri) => {
    const resource = attributes(record(record(rs)?.resource)?.attributes);
    const identity: Record<string, string> = {};
    for (const [k, v] of Object.entries(resource)) if (v !== null && typeof v !== 'object') identity[k] = String(v);
    const scopes = record(rs)?.scopeSpans;
    (Array.isArray(scopes) ? scopes : []).forEach((ss, si) => {
      const spans = record(ss)?.spans;
      (Array.isArray(spans) ? spans : []).forEach((s, i) => {
        const where = `line ${position}, resourceSpans[${ri}].scopeSpans[${si}].spans[${i}]`;
        const span = record(s);
        if (!span) throw new TraceInputError(file, where, 'a span is not an object');
        const id = spanId(span.spanId);
        const traceId = spanId(span.traceId);
        const startMs = nanosToMs(span.startTimeUnixNano);
        if (!id || !traceId) throw new TraceInputError(file, where, 'a span without traceId or spanId');
        if (startMs === null || startMs <= 0) throw new TraceInputError(file, where, `span ${id} has no valid startTimeUnixNano`);
        const attrs = attributes(span.attributes);
        const name = typeof span.name === 'string' ? span.name : '';
        const op = typeof attrs['gen_ai.operation.name'] === 'string' ? attrs['gen_ai.operation.name'] : null;
        const kind = kindOf(op, name);
        const status = record(span.status);
        const error = status?.code === 2 ? (typeof status.message === 'string' && status.message ? status.message : 'error') : asText(attrs['error.type']);
        steps.push({
          id,
          traceId,
          parentId: spanId(span.parentSpanId),
          kind,
          name,
          startMs,
          startUs: nanosTo(span.startTimeUnixNano, 1_000n) ?? startMs * 1000,
          endMs: nanosToMs(span.endTimeUnixNano),
          tool: kind === 'tool' ? (asText(attrs['gen_ai.tool.name']) ?? name.replace(/^execute_tool\s*/, '')) : null,
          toolCallId: asText(attrs['gen_ai.tool.call.id']),
          arguments: asText(attrs['gen_ai.tool.call.arguments']),
          result: asText(attrs['gen_ai.tool.call.result']),
          text: kind === 'model' ? modelText(attrs, span.events) : null,
          error,
          agent: asText(attrs['gen_ai.agent.name']) ?? (kind === 'agent' ? asText(resource['service.name']) : null),
          identity,
          format: 'otlp',
          source: { file, position },
        });
      });
    });
  });
  return steps;
}
