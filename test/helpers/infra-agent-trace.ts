/**
 * Agent traces recorded with the OpenTelemetry JS SDK (GenAI attributes, serialised by otlp-transformer's JSON
 * serializer) for tool calls the test chooses: each call is a tool span under its run's invoke_agent span, with a model
 * turn before it, so the trace has the shape a real agent framework exports.
 */
import { context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface ToolSpan {
  name: string;
  args: unknown;
  startMs: number;
  endMs: number;
  /** What the model said just before the call (a model turn ending when the call starts). */
  said?: string;
}

/** One OTLP export request holding one run per entry of `runs` (each its own trace id), as the SDK serialises them. */
export function otlpRuns(resource: Record<string, string>, runs: ReadonlyArray<{ agent: string; calls: readonly ToolSpan[] }>): string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('infra-agent', '1.0.0');
  runs.forEach((run, r) => {
    const first = run.calls[0]?.startMs ?? 0;
    const last = run.calls.at(-1)?.endMs ?? first;
    const agent = tracer.startSpan(`invoke_agent ${run.agent}`, { root: true, startTime: first - 2_000, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': run.agent } });
    const inAgent = trace.setSpan(context.active(), agent);
    run.calls.forEach((c, i) => {
      if (c.said) {
        const messages = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: c.said }] }]);
        tracer.startSpan('chat gpt-4o', { startTime: c.startMs - 1_000, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': messages } }, inAgent).end(c.startMs - 10);
      }
      const attributes = {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': c.name,
        'gen_ai.tool.call.id': `call_${r}_${i}`,
        'gen_ai.tool.call.arguments': JSON.stringify(c.args),
      };
      tracer.startSpan(`execute_tool ${c.name}`, { startTime: c.startMs, attributes }, inAgent).end(c.endMs);
    });
    agent.end(last + 500);
  });
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()));
}
