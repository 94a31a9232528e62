import type { TimelineEvent, TimelineFilter } from './cloudtrail';
import type { DbLogStatement } from './validation';

/** Where an entry of the incident timeline comes from: the cloud's audit logs, a database's own log, the agent's trace. */
export type TimelineSource = 'cloud' | 'database' | 'agent';

export const TIMELINE_SOURCES: readonly TimelineSource[] = ['agent', 'cloud', 'database'];

/**
 * Where a page ends, as a key: the time in milliseconds, the source's rank (a tool call, then the cloud call, then the
 * database statement in one millisecond) and the row's own order within its source. The next page starts after it.
 */
export interface TimelineCursor {
  t: number;
  s: number;
  r: number;
}

/** The cloud filters, plus which sources to show and destructive entries only (of every source). */
export interface IncidentTimelineFilter extends TimelineFilter {
  /** Shown sources; all when absent. Cloud-only filters (cloud, principal, service, high-risk) hide the others. */
  sources?: TimelineSource[];
  destructiveOnly?: boolean;
}

interface EntryBase {
  /** Unique in the incident: `cloud:<eventID>`, `database:<n>`, `agent:<n>`. */
  key: string;
  /** ISO 8601 UTC. */
  at: string;
  timeMs: number;
  destructive: boolean;
  /**
   * Another entry fell in the same whole second and at least one of the two has whole seconds only (CloudTrail, the
   * binlog): their order is unknown, so they are shown as simultaneous, never in an invented order.
   */
  simultaneous: boolean;
  cursor: TimelineCursor;
}

export interface AgentToolCallEntry {
  importId: string;
  traceId: string;
  stepId: string;
  name: string;
  end: string | null;
  destructiveBecause: string | null;
  error: string | null;
}

export type TimelineEntry =
  | (EntryBase & { source: 'cloud'; event: TimelineEvent })
  | (EntryBase & { source: 'database'; statement: DbLogStatement & { evidenceId: string } })
  | (EntryBase & { source: 'agent'; call: AgentToolCallEntry });

/** How many entries the filter matches, counted up to `cap` (beyond it the count says "at least"). */
export interface TimelineCount {
  value: number;
  capped: boolean;
  cap: number;
  bySource: Record<TimelineSource, number>;
}

export interface TimelineSlice {
  entries: TimelineEntry[];
  /** Where the next page starts; null when this page is the last. */
  next: TimelineCursor | null;
  /** Given with a first page (no cursor) only. */
  count: TimelineCount | null;
}
