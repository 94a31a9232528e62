import type { CloudTrailFinding } from './cloudtrail';

/** What the queries are limited to: the incident's window, the accounts and the Regions. */
export interface AthenaScope {
  start: string;
  end: string;
  accounts: string[];
  regions: string[];
}

/** One generated query: its name in the results, what it answers, and the exact text sent to Athena. */
export interface AthenaQuery {
  name: 'high-risk-events' | 'identity-activity' | 'blast-radius';
  purpose: string;
  sql: string;
}

/** Bytes to scan, worked out before anything runs: partitions times a typical partition size, at the published price. */
export interface AthenaEstimate {
  partitions: number;
  bytesPerPartition: number;
  queries: number;
  bytes: number;
  usd: number;
  basis: string;
}

export interface AthenaPlan {
  database: string;
  table: string;
  /** The CREATE EXTERNAL TABLE statement, or null when an existing table is reused. */
  ddl: string | null;
  queries: AthenaQuery[];
  scope: AthenaScope;
  estimate: AthenaEstimate;
  workgroup: string | null;
  output: string | null;
}

/** One query as Athena ran it, with what was kept of its results. */
export interface AthenaExecution {
  name: AthenaQuery['name'] | 'create-table';
  executionId: string;
  state: 'SUCCEEDED';
  bytesScanned: number;
  /** Athena's engine time for the query, in milliseconds. */
  engineMs: number;
  rows: number;
  evidenceId: string | null;
  sha256: string | null;
}

export interface AthenaRunResult {
  plan: AthenaPlan;
  executions: AthenaExecution[];
  collectionId: string;
  events: number;
  newEvents: number;
  bytesScanned: number;
  /** The busiest identities (calls in the window), for the summary; the full table is the evidence. */
  identities: Array<{ principalArn: string; calls: number; errors: number; activeMinutes: number; first: string; last: string }>;
  /** Resources written by the agent identities, for the summary; the full table is the evidence. */
  blastRadius: Array<{ principalArn: string; eventSource: string; resource: string; writes: number }>;
  findings: CloudTrailFinding[];
  newFindings: number;
}
