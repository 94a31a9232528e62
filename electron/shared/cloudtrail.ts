/** CloudTrail domain types shared by core, adapters and the renderer. Plain data only. */

/** An agent identity as the responder gives it: an ARN, or a name (role, user, session, access key id, source identity). */
export type AgentIdentity = string;

/** Which field of userIdentity tied a call to an agent identity. */
export type AgentMatchField = 'arn' | 'sessionIssuer' | 'sessionName' | 'userName' | 'accessKeyId' | 'sourceIdentity';

export interface HighRiskRuleRef {
  /** Stable id of the row in the shipped high-risk table, e.g. "rds-modify-deletion-protection-off". */
  id: string;
  title: string;
  /** The condition as the table states it, empty when the event is high-risk on its own. */
  condition: string;
  /** True where the table marks the mapping as an unverified judgment: a default to review, not a fact. */
  judgment: boolean;
  source: string;
}

/** One high-risk call. Failed attempts (errorCode set) are kept, and shown apart from successes. */
export interface HighRiskEvent {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string | null;
  principalArn: string;
  principalType: string | null;
  agent: boolean;
  /** The agent identity (as given) the call was attributed to. */
  agentIdentity: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attack: string[];
  rules: HighRiskRuleRef[];
  resources: string[];
  sourceIPAddress: string | null;
  userAgent: string | null;
  /** Inside a machine-speed burst of its principal. */
  burst: boolean;
  /** The first time this principal made this call in the analysed window. */
  firstTime: boolean;
  /** Another high-risk call fell in the same whole second: CloudTrail cannot tell their order. */
  simultaneous?: boolean;
}

export interface IntervalHistogram {
  /** Bucket upper bounds in seconds (inclusive); the last bucket is open-ended. */
  boundsSeconds: number[];
  counts: number[];
}

export interface Burst {
  start: string;
  end: string;
  calls: number;
  writes: number;
  services: number;
  /** Calls per second over the burst (CloudTrail times have one-second resolution). */
  rate: number;
  /** Most calls from the console: a page load, not automation. */
  console: boolean;
  machine: boolean;
}

/** machine: most calls in machine-speed bursts; human-paced: no such bursts, gaps a person could keep. */
export type CadenceVerdict = 'machine' | 'mixed' | 'human-paced' | 'insufficient';

export interface Cadence {
  calls: number;
  /** Approximate percentiles of the gaps between consecutive calls, in seconds. */
  medianIntervalSeconds: number | null;
  p10IntervalSeconds: number | null;
  p90IntervalSeconds: number | null;
  /** Share of gaps of at most one second. */
  subSecondShare: number;
  histogram: IntervalHistogram;
  /** The largest bursts (at most 20), longest first. */
  bursts: Burst[];
  machineBursts: number;
  /** Calls that fall inside machine-speed bursts. */
  callsInMachineBursts: number;
  verdict: CadenceVerdict;
  /** Why the verdict, in words a responder can repeat. */
  reasons: string[];
}

export interface UserAgentCount {
  userAgent: string;
  calls: number;
  kind: UserAgentKind;
}

export type UserAgentKind = 'sdk' | 'console' | 'aws-service' | 'other' | 'none';

export interface PrincipalSummary {
  principalArn: string;
  /** userIdentity.type of its first call. */
  type: string | null;
  label: string;
  accountId: string | null;
  agent: boolean;
  agentIdentities: string[];
  calls: number;
  errors: number;
  readOnly: number;
  writes: number;
  highRisk: number;
  highRiskFailed: number;
  services: Array<{ service: string; calls: number }>;
  regions: Array<{ region: string; calls: number }>;
  firstSeen: string | null;
  lastSeen: string | null;
  userAgents: UserAgentCount[];
  sdkShare: number;
  cadence: Cadence;
  /** Looks like a program rather than a person (for principals that are not declared agents). */
  automation: { likely: boolean; reasons: string[] };
}

export interface ServiceTouch {
  service: string;
  calls: number;
  writes: number;
  destructive: number;
  errors: number;
}

export interface ResourceTouch {
  resource: string;
  service: string;
  calls: number;
  destructive: number;
}

export interface FirstDestructive {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  errorCode: string | null;
  resources: string[];
  principalArn: string;
  /** Another first destructive call falls in the same second and the times cannot say which came first (CloudTrail). */
  simultaneous?: boolean;
}

export interface MovementWindow {
  start: string;
  end: string;
  calls: number;
  services: string[];
  regions: string[];
}

/** What one agent identity touched in the analysed window. */
export interface BlastRadius {
  agentIdentity: string;
  /** Other agent values (a role's name beside its ARN, a session name) that name the same actor. */
  aliases?: string[];
  principals: string[];
  calls: number;
  services: ServiceTouch[];
  regions: Array<{ region: string; calls: number }>;
  resources: ResourceTouch[];
  /** Distinct resources seen beyond the ones listed (the list is capped to keep reports readable). */
  resourcesNotListed: number;
  firstDestructive: FirstDestructive[];
  /** Short windows in which the agent crossed several services or regions. */
  movement: MovementWindow[];
  cadence: Cadence;
}

export type FileStatus = 'ok' | 'partial' | 'failed' | 'skipped';

export interface ScanFileResult {
  path: string;
  status: FileStatus;
  records: number;
  /** Why the file failed, was read in part, or was skipped; names the problem in plain words. */
  reason: string | null;
  /** Records refused because they carry no valid time (missing, empty or not an ISO 8601 date-time), by position. */
  refusedNoTime?: { count: number; positions: number[] };
}

/** The `cloudtrail scan --json` shape (ARCHITECTURE.md): fields may be added, never renamed. */
export interface ScanReport {
  records: number;
  duplicates: number;
  files: number;
  highRisk: HighRiskEvent[];
  byPrincipal: Record<string, PrincipalSummary>;
  highRiskSucceeded: number;
  highRiskFailed: number;
  /** One card per agent actor that made calls (the values naming the same actor are its aliases). */
  agents: BlastRadius[];
  /** Agent values given that matched no call, said once. */
  unmatchedAgents: string[];
  /** Principals that are not declared agents but behave like automation. */
  automation: string[];
  firstEventTime: string | null;
  lastEventTime: string | null;
  /** Files that failed or were read only in part, with the reason; the others were still analysed. */
  errors: ScanFileResult[];
  fileResults: ScanFileResult[];
  eventVersions: Record<string, number>;
}

/** One call in the incident timeline (a row of the virtualized list; the raw record is fetched on demand). */
export interface TimelineEvent {
  eventID: string;
  eventTime: string;
  eventSource: string;
  service: string;
  eventName: string;
  awsRegion: string | null;
  principalArn: string;
  principalLabel: string;
  principalType: string | null;
  agentIdentity: string | null;
  readOnly: boolean | null;
  errorCode: string | null;
  highRisk: boolean;
  attack: string[];
  burst: boolean;
  sourceIPAddress: string | null;
  userAgent: string | null;
  /** Findings this event supports (marked by a responder or recorded by the analysis). */
  findingIds: string[];
  /** The cloud whose audit trail holds the call. */
  cloud: 'aws' | 'azure' | 'gcp';
  /**
   * Another call fell in the same whole second and at least one of the two has only whole seconds (CloudTrail): their
   * order is unknown, so they are shown as simultaneous, never in an invented order.
   */
  simultaneous: boolean;
}

export interface TimelinePage {
  total: number;
  offset: number;
  events: TimelineEvent[];
}

export interface TimelineEventDetail extends TimelineEvent {
  resources: string[];
  rules: HighRiskRuleRef[];
  errorMessage: string | null;
  /** The full CloudTrail record as received. */
  record: unknown;
  /** Evidence items that carry this record (an export file or a LookupEvents page). */
  evidenceIds: string[];
  support: EventSupport[];
}

export interface EventSupport {
  findingId: string;
  markedBy: string;
  markedAt: string;
  note: string | null;
}

export type FindingKind = 'high-risk' | 'high-risk-attempt' | 'machine-cadence' | 'automation' | 'movement' | 'first-destructive';

export interface CloudTrailFinding {
  /** CTF-<incident seq>, stable across re-analysis. */
  id: string;
  incidentId: string;
  kind: FindingKind;
  severity: 'low' | 'medium' | 'high' | 'critical';
  title: string;
  /** The playbook phase the finding belongs to (Detection & Analysis). */
  phase: string;
  principalArn: string | null;
  agentIdentity: string | null;
  attack: string[];
  firstAt: string | null;
  lastAt: string | null;
  detail: Record<string, unknown>;
  /** Events recorded by the analysis plus events a responder marked. */
  eventIds: string[];
  createdAt: string;
}

export interface FindingsSummary {
  incidentId: string;
  events: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  agentIdentities: string[];
  findings: CloudTrailFinding[];
  counts: Record<FindingKind, number>;
  principals: number;
  /** Digest of the analysis, as in `cloudtrail scan`, over every event of the incident. */
  agents: BlastRadius[];
  /** Agent values that matched no call of the incident, said once. */
  unmatchedAgents?: string[];
  automation: string[];
  collections: CollectionSummary[];
  monitoring: MonitoringCheck[];
  /**
   * Set while an analysis is committing its batches (or was cut off and waits to be resumed at the next start): the
   * attribution, burst marks and findings are then part old, part new, and must not be read as final.
   */
  analysing?: { since: string; generation: number } | null;
}

export interface TimelineFilter {
  principal?: string;
  service?: string;
  highRiskOnly?: boolean;
  errorsOnly?: boolean;
  agentOnly?: boolean;
  /** Only the calls of one cloud. */
  cloud?: 'aws' | 'azure' | 'gcp';
  text?: string;
  from?: string;
  to?: string;
}

export interface CollectionSummary {
  id: string;
  kind: 'pull' | 'import';
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'interrupted' | 'done' | 'failed';
  regions: string[];
  windowStart: string | null;
  windowEnd: string | null;
  pages: number;
  records: number;
  newRecords: number;
  duplicates: number;
  evidenceIds: string[];
  errors: string[];
  /** An Azure or GCP pull (`logs pull`): the cloud and the subscription or project it read. */
  source?: { cloud: 'azure' | 'gcp'; scope: string };
}

export interface PullResult {
  collection: CollectionSummary;
  /** Lookups (region x attribute) and how far each got. */
  lookups: Array<{ region: string; attribute: string; value: string; pages: number; events: number; done: boolean }>;
  publicKeysEvidenceIds: string[];
  findings: CloudTrailFinding[];
  newFindings: number;
  resumed: boolean;
}

export interface ImportResult {
  collection: CollectionSummary;
  files: Array<ScanFileResult & { evidenceId: string | null; sha256: string | null; newRecords: number }>;
  findings: CloudTrailFinding[];
  newFindings: number;
}

export type MonitoringOutcome = 'clear' | 'alert';

export interface MonitoringCheck {
  incidentId: string;
  at: string;
  outcome: MonitoringOutcome;
  windowStart: string;
  windowEnd: string;
  /** Destructive or high-risk calls by agent identities found in the window. */
  events: Array<{ eventID: string; eventTime: string; eventName: string; eventSource: string; principalArn: string; errorCode: string | null }>;
  /** Set on an alert: the phase to reopen. */
  reopenPhase: string | null;
  message: string;
  collectionId: string | null;
}

export type DigestFileStatus = 'valid' | 'invalid' | 'missing' | 'unlisted';

export interface DigestCheck {
  path: string;
  digestS3Object: string | null;
  digestEndTime: string | null;
  signature: 'valid' | 'invalid' | 'missing' | 'no-key';
  chain: 'ok' | 'first' | 'broken' | 'previous-missing';
  reason: string | null;
}

export interface LogFileCheck {
  s3Object: string;
  path: string | null;
  status: DigestFileStatus;
  reason: string | null;
}

export interface DigestVerification {
  ok: boolean;
  digests: DigestCheck[];
  logFiles: LogFileCheck[];
  counts: Record<DigestFileStatus, number>;
  digestCounts: { valid: number; invalid: number };
}

export interface AgentIdentities {
  /** Everything the analysis matches: the identities set here plus those in the incident's parameters. */
  identities: string[];
  set: string[];
  fromParams: string[];
}
