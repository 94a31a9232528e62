import type { Cadence, ImportResult } from './cloudtrail';

/** The clouds whose audit trails Firebreak reads. */
export type CloudName = 'aws' | 'azure' | 'gcp';

/** One high-risk call, any cloud (the `logs scan --json` shape: fields may be added, never renamed). */
export interface CloudHighRisk {
  cloud: CloudName;
  /** The source's own id: CloudTrail eventID, Azure eventDataId or operationId, GCP insertId. */
  eventID: string;
  eventTime: string;
  service: string;
  operation: string;
  principal: string;
  principalName: string;
  agent: boolean;
  errorCode: string | null;
  attack: string[];
  rules: string[];
  resources: string[];
  /** Another high-risk call fell in the same second and the source has whole seconds only (CloudTrail): their order is unknown. */
  simultaneous: boolean;
}

export interface CloudPrincipal {
  cloud: CloudName;
  name: string;
  /** user, service-principal, managed-identity, service-account, cloud-service, root, unknown. */
  kind: string;
  calls: number;
  agent: boolean;
  cadence: Cadence;
  automation: { likely: boolean; reasons: string[] };
}

export interface CloudScanFile {
  path: string;
  cloud: CloudName | null;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  records: number;
  reason: string | null;
  refusedNoTime?: { count: number; positions: number[] };
}

/** `firebreak logs scan --json`. */
export interface CloudScanReport {
  /** Distinct records read (after deduplication), all clouds. */
  records: number;
  duplicates: number;
  files: number;
  failedFiles: Array<{ path: string; reason: string }>;
  /** Operations per cloud, after pairing (Azure Start/outcome, GCP first/last) and deduplication. */
  byCloud: Record<CloudName, number>;
  highRisk: CloudHighRisk[];
  byPrincipal: Record<string, CloudPrincipal>;
  /** Agent identities given that matched no caller in any file (said once, here). */
  unmatchedAgents: string[];
  refusedNoTime: number;
  fileResults: CloudScanFile[];
}

/** `firebreak logs import --json`: the `cloudtrail import` shape, each file with its detected cloud, and the incident's calls per cloud. */
export interface LogsImportResult {
  collection: ImportResult['collection'];
  files: Array<ImportResult['files'][number] & { cloud: CloudName | null }>;
  findings: ImportResult['findings'];
  newFindings: number;
  /** Calls stored in the incident per cloud after this import (operations: an Azure Start and its outcome are one). */
  byCloud: Record<CloudName, number>;
}

/** `firebreak logs pull --json`: an Azure Monitor or Cloud Logging pull into an incident. */
export interface LogsPullResult {
  collection: ImportResult['collection'];
  cloud: 'azure' | 'gcp';
  /** The subscription (Azure) or project (GCP) read. */
  scope: string;
  /** The filter sent with every page: the OData $filter (Azure) or the Logging query (GCP). */
  filter: string;
  /** Pages and records received over the whole pull, resumed runs included. */
  pages: number;
  records: number;
  findings: ImportResult['findings'];
  newFindings: number;
  /** Calls stored in the incident per cloud after this pull. */
  byCloud: Record<CloudName, number>;
  /** This run carried on an interrupted pull of the same cloud and scope. */
  resumed: boolean;
}

/** One identity's calls over time, for the activity chart: per bucket its calls, its busiest second, its destructive calls. */
export interface ActivitySeries {
  principal: string;
  label: string;
  cloud: CloudName;
  agent: boolean;
  calls: number;
  /** The most calls the identity made in any one second. */
  peakPerSecond: number;
  /** `t`: the bucket's start, epoch seconds; `peak`: the most calls in one second inside it. */
  points: Array<{ t: number; calls: number; peak: number; destructive: number }>;
}

/** The per-identity activity chart of an incident: all clouds on one time axis. */
export interface ActivityChartData {
  /** Epoch seconds of the first and last call shown. */
  start: number;
  end: number;
  bucketSeconds: number;
  series: ActivitySeries[];
  /** Identities left out to keep the chart readable (the agents and the busiest are shown). */
  identitiesNotShown: number;
}
