import type { TraceStep } from '../../shared/traces';

/**
 * One span or run as read from a file, before the runs are built into trees: the step's own fields (text not yet
 * redacted), its times as numbers, and what its run says about the agent.
 */
export interface RawStep extends Pick<TraceStep, 'id' | 'traceId' | 'parentId' | 'kind' | 'name' | 'tool' | 'toolCallId' | 'arguments' | 'result' | 'text' | 'error' | 'source'> {
  startMs: number;
  /** Start in microseconds, for order: LangSmith's dotted_order and OTLP's nanoseconds tell apart steps of the same millisecond. */
  startUs: number;
  endMs: number | null;
  agent: string | null;
  identity: Record<string, string>;
  format: 'otlp' | 'langsmith';
}

/** Bad input: what is wrong and where, so the user can open the file at that place. */
export class TraceInputError extends Error {
  constructor(
    readonly file: string,
    readonly position: string,
    readonly problem: string,
  ) {
    super(`${file}: ${position}: ${problem}`);
  }
}

export const asText = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
};

export const record = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
