import * as z from 'zod';
import type { IncidentTraces, TraceImport, TraceScanReport } from '../traces';
import { incidentId, method, operationId as operationIdText, text } from './define';

const path = text('Path', 4096);
const name = z.string().trim().min(1, 'a tool name or identity is not empty').max(2048);

/** The agent's decision chain: OTLP GenAI spans and LangSmith runs, tied to cloud events. */
export const tracesContract = {
  /** Stateless analysis of agent traces, optionally with the cloud logs of the same period (`firebreak trace scan`). */
  'trace.scan': method<TraceScanReport, string>().query(
    () => z
      .object({
        paths: z.array(path).min(1, 'give at least one trace file').max(10_000),
        logs: z.array(path).max(10_000).default([]),
        tools: z.array(name).max(1000).default([]),
        agents: z.array(name).max(100).default([]),
        freezeStart: z.string().trim().min(1).max(40).optional(),
        freezeEnd: z.string().trim().min(1).max(40).optional(),
        operationId: operationIdText.optional(),
      })
      .strict(),
    { long: true },
  ),
  /** Agent traces taken as evidence into an incident, their runs and tool calls recorded (`firebreak trace import`). */
  'trace.import': method<TraceImport, string>().mutation(
    () => z.object({ incidentId, paths: z.array(path).min(1, 'give at least one trace file').max(10_000), operationId: operationIdText.optional() }).strict(),
    { long: true },
  ),
  /** The incident's imported decision chain: imports, runs and tool calls. */
  'trace.chain': method<IncidentTraces>().query(() => z.object({ incidentId }).strict()),
};
