/**
 * The agent's decision chain (`firebreak trace scan|import`): its runs as trees of agent, model and tool steps, each tool
 * call tied to the cloud events that followed it. The `--json` shape: fields may be added, never renamed.
 */
import type { CloudName } from './cloudlogs';

/** What one step of a run is: the agent's own span, a model turn, a tool call, or anything else the framework recorded. */
export type TraceStepKind = 'agent' | 'model' | 'tool' | 'other';

export interface TraceStep {
  id: string;
  traceId: string;
  parentId: string | null;
  kind: TraceStepKind;
  name: string;
  start: string;
  end: string | null;
  /** The tool's name and call id (tool steps), as the trace recorded them. */
  tool: string | null;
  toolCallId: string | null;
  /** Arguments and result as text, when the agent recorded them (opt-in in the GenAI conventions). */
  arguments: string | null;
  result: string | null;
  /** What the model said (model steps), secrets redacted. */
  text: string | null;
  error: string | null;
  /** The file and the 1-based line or record it came from. */
  source: { file: string; position: number };
  children: TraceStep[];
}

export interface TraceRun {
  traceId: string;
  /** The agent's name (gen_ai.agent.name, service.name, or the root run's name). */
  agent: string;
  format: 'otlp' | 'langsmith';
  start: string;
  end: string | null;
  /** Identity the trace claims: resource attributes (cloud.account.id, service.name, aws.iam.role ...) and metadata. */
  identity: Record<string, string>;
  steps: number;
  root: TraceStep[];
}

/**
 * Why a tool call is linked to a cloud event or a database change. For a database change, `identity` is the database
 * login matching the agent's, `resource` a table named in the tool's arguments, `operation` the statement's verb there.
 */
export type CorrelationReason = 'time' | 'identity' | 'operation' | 'resource';

/** Where a correlated event comes from: a cloud's audit log, or a database's own log (`db log import`, `--logs`). */
export type ChainSource = CloudName | 'db';

export interface CorrelatedEvent {
  cloud: ChainSource;
  /** Cloud: the source's event id. Database: `EVIDENCE:LINE[:TABLE]` (imported) or `FILE:LINE[:TABLE]` (scan). */
  eventID: string;
  eventTime: string;
  operation: string;
  /** Cloud: the caller. Database: the login, empty where the log does not say (the binlog). */
  principal: string;
  reasons: CorrelationReason[];
  confidence: 'high' | 'medium' | 'low';
  /** Database changes only: the table, the database, the rows the log counted, and the statement (secrets redacted). */
  table?: string | null;
  database?: string | null;
  rows?: number | null;
  statement?: string;
}

export interface TraceToolCall {
  id: string;
  traceId: string;
  name: string;
  start: string;
  end: string | null;
  destructive: boolean;
  /** Why it counts as destructive (its name's verb, an SQL or shell command in its arguments). */
  destructiveBecause: string | null;
  arguments: string | null;
  error: string | null;
  correlated: CorrelatedEvent[];
}

export type TraceFindingKind = 'no-human-approval' | 'tool-out-of-scope' | 'destructive-in-freeze' | 'decision-to-last-destruction';

export interface TraceFinding {
  kind: TraceFindingKind;
  severity: 'high' | 'medium' | 'info';
  title: string;
  toolCallIds: string[];
  /** decision-to-last-destruction: milliseconds from the first destructive decision to the last destructive call. */
  durationMs?: number;
}

/** A destructive cloud event, or a destructive database statement (`cloud: 'db'`), that no tool call explains. */
export interface UnexplainedCloudEvent {
  cloud: ChainSource;
  eventID: string;
  eventTime: string;
  operation: string;
  principal: string;
  resources: string[];
}

export interface TraceScanFile {
  path: string;
  format: 'otlp' | 'langsmith' | 'cloud-log' | 'db-log';
  status: 'ok' | 'failed' | 'partial';
  records: number;
  reason: string | null;
}

/** `firebreak trace scan --json`. */
export interface TraceScanReport {
  runs: TraceRun[];
  toolCalls: TraceToolCall[];
  findings: TraceFinding[];
  /** The model's text immediately before the first destructive tool call, verbatim with secrets redacted. */
  lastWordsBeforeDestruction: { stepId: string; time: string; text: string } | null;
  /** Destructive cloud events no tool call explains. */
  unexplained: UnexplainedCloudEvent[];
  cloudEvents: number;
  /** Statements read from the database logs given with `--logs` (binlog text, PostgreSQL csvlog or stderr, pgaudit). */
  dbStatements: number;
  files: TraceScanFile[];
}

/** One `firebreak trace import`: the files as evidence and what was read from them. */
export interface TraceImport {
  id: string;
  incidentId: string;
  evidence: Array<{ id: string; sha256: string; path: string; format: 'otlp' | 'langsmith' }>;
  runs: number;
  toolCalls: number;
  destructive: number;
  findings: TraceFinding[];
  lastWordsBeforeDestruction: TraceScanReport['lastWordsBeforeDestruction'];
  importedAt: string;
}

/** One cloud event or database statement on the chain's time axis. */
export interface ChainAxisEvent {
  source: ChainSource;
  id: string;
  time: string;
  operation: string;
  principal: string;
  destructive: boolean;
  /** The resource or table it touched, when the log names one. */
  resource: string | null;
}

/**
 * An incident's imported decision chain: every import, and the runs and tool calls of all of them in time order. The
 * correlations are worked out when the chain is read, against every cloud event (CloudTrail imported or pulled, Azure,
 * GCP) and database statement the incident holds then, so the order things were imported in does not matter.
 */
export interface IncidentTraces {
  imports: TraceImport[];
  runs: TraceRun[];
  toolCalls: TraceToolCall[];
  /** Destructive cloud events and database statements no tool call explains (in the chain's span or by the agent). */
  unexplained: UnexplainedCloudEvent[];
  /** The incident's cloud events and database statements in the chain's span, for one time axis; at most `limit`. */
  axis: { start: string | null; end: string | null; events: ChainAxisEvent[]; total: number; limit: number };
  /** How many cloud events and database statements the correlation looked at. */
  cloudEvents: number;
  dbStatements: number;
}
