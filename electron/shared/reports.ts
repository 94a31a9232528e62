import type { ActivityChartData } from './cloudlogs';
/**
 * Report models: what legal and the CISO read, as plain data. Every format (HTML, PDF, Markdown, JSON, OSCAL) is
 * rendered from one model, and the model's content hash is defined once:
 *
 *   contentSha256 = SHA-256 of the UTF-8 bytes of the model's canonical JSON (keys sorted, no whitespace; `jq -cS`).
 *
 * The JSON format of a report is exactly those bytes, so `sha256sum report.json` prints the hash that every page of
 * the HTML, PDF and Markdown renderings carries. Plain data only; shared by core, adapters and the renderer.
 */
import type { IncidentStatus, Operator, Severity } from './domain';
import type { EvidenceSourceKind, EvidenceStatus } from './evidence';
import type { ControlAssessment, GapState } from './gap';
import type { SignOffRecord, SignOffStatus, StoreValidation } from './signoff';
import type { ReportIam } from './iam';
import type { DbLogSource, ValidationRunKind, ValidationRunStatus, ValidationVerdict } from './validation';
import type { AttachedEvidence, ClockStatus } from './workflow';

export const REPORT_KINDS = ['incident', 'gap', 'signoff'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_FORMATS = ['pdf', 'html', 'md', 'json', 'oscal-ar', 'oscal-poam'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** OSCAL documents are made from the gap analysis. */
export const OSCAL_FORMATS: readonly ReportFormat[] = ['oscal-ar', 'oscal-poam'];

export const REPORT_TITLES: Record<ReportKind, string> = {
  incident: 'Incident report',
  gap: 'Gap analysis',
  signoff: 'Sign-off report',
};

/** FIRST Traffic Light Protocol 2.0 markings. */
export const TLP_MARKINGS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
export type TlpMarking = (typeof TLP_MARKINGS)[number];
/** Until someone decides otherwise, an incident report stays inside the organisation. */
export const DEFAULT_TLP: TlpMarking = 'TLP:AMBER+STRICT';

export const REPORT_MODEL_FORMAT = 'firebreak-report';

export interface ReportHeader {
  format: typeof REPORT_MODEL_FORMAT;
  version: 1;
  kind: ReportKind;
  title: string;
  incident: {
    id: string;
    title: string;
    severity: Severity;
    status: IncidentStatus;
    phase: string;
    playbook: { id: string; version: string; title: string; sha256: string };
    openedAt: string;
    openedBy: Operator;
  };
  tlp: TlpMarking;
  /** Present (true) on sample incidents: every page then says SAMPLE. */
  sample?: true;
  generatedAt: string;
  generatedBy: Operator;
  /** The incident's ledger as it stood when the report was made: a reviewer finds this entry in the bundle's ledger. */
  record: { ledgerEntries: number; ledgerHeadHash: string | null };
}

export type KeyEventKind =
  | 'agent-deployment'
  | 'destructive-action'
  | 'detection'
  | 'incident-opened'
  | 'containment'
  | 'eradication'
  | 'recovery'
  | 'post-incident';

/** One point of the incident's story; `at` is null when the record does not establish it yet. */
export interface KeyEvent {
  kind: KeyEventKind;
  label: string;
  at: string | null;
  detail: string;
}

export interface StepAction {
  id: string;
  title: string;
  kind: string;
  status: 'todo' | 'done' | 'na';
  required: boolean;
  by: Operator | null;
  at: string | null;
  reason: string | null;
  note: string | null;
  /** Decision answers chosen, by label. */
  answers: string[];
  evidence: AttachedEvidence[];
}

export interface PhaseActions {
  id: string;
  title: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: Operator | null;
  gateMet: boolean;
  override: { justification: string; waived: string[] } | null;
  /** Steps a decision opened or did not skip. */
  steps: StepAction[];
}

export interface ReportOverride {
  kind: 'phase' | 'sign-off';
  /** What was overridden, e.g. "Containment gate" or "Recovery sign-off (CISO)". */
  subject: string;
  justification: string;
  by: Operator;
  at: string;
  waived: string[];
}

export interface ReportEvidenceItem {
  id: string;
  name: string;
  sha256: string;
  size: number;
  sourceKind: EvidenceSourceKind;
  acquiredAt: string;
  acquiredBy: Operator;
  status: EvidenceStatus;
  linkedSteps: string[];
  /** Set for a log file an import could not read in full: its hash may be intact while its content is not whole. */
  read?: 'partial' | 'failed';
}

/** A log file (or a lookup) that was not read in full: cut short, records refused or skipped, or not read at all. */
export interface ReportUnreadLog {
  at: string;
  /** What collected it: a CloudTrail import or pull. */
  source: string;
  /** The evidence item holding the file as received; null when nothing was kept (a failed lookup). */
  evidenceId: string | null;
  /** The file's path as given, or the lookup. */
  what: string;
  /** `partial`: some records were read; `failed`: none were. */
  outcome: 'partial' | 'failed';
  reason: string;
}

/** A secret the intake scan found in an evidence item: its kind and where, never the secret (redacted as the UI shows it). */
export interface ReportSecret {
  itemId: string;
  itemName: string;
  label: string;
  redacted: string;
  line: number;
  occurrences: number;
}

export interface ReportFinding {
  id: string;
  kind: string;
  severity: string;
  title: string;
  principalArn: string | null;
  agentIdentity: string | null;
  attack: string[];
  firstAt: string | null;
  lastAt: string | null;
  events: number;
}

/** One statement from a database's own log as the incident report lists it. */
export interface ReportDbLogEntry {
  at: string;
  source: DbLogSource;
  login: string | null;
  database: string | null;
  operation: string;
  table: string | null;
  rows: number | null;
  /** At most REPORT_STATEMENT_CHARS characters; the whole text stays in the evidence file. */
  statement: string;
  evidenceId: string;
  line: number;
}

/** The statements imported with `firebreak db log import`: counts, rows deleted per table, the destructive ones in time order. */
export interface ReportDatabaseLog {
  statements: number;
  destructive: number;
  first: string | null;
  last: string | null;
  /** From row events (the binlog), largest first. */
  rowsDeleted: Array<{ table: string; rows: number }>;
  /** Destructive statements in time order, the first REPORT_DB_LOG_ENTRIES of them. */
  entries: ReportDbLogEntry[];
  /** Destructive statements not listed (beyond the limit); they are in the evidence files. */
  notListed: number;
}

export const REPORT_DB_LOG_ENTRIES = 500;

/** What a report says while the incident's cloud-log analysis is being committed in batches. */
export const analysingNote = (since: string): string =>
  `ANALYSIS IN PROGRESS: the cloud-log analysis started at ${since} was still being committed when this report was made ` +
  '(or was cut off and is resumed at the next start). Agent attribution, burst marks, findings and the destructive calls ' +
  'below are part old, part new and are not final: make the report again once it has finished.';

/** One destructive cloud call as the report's appendix lists it: a dense line. */
export interface ReportDestructiveCall {
  at: string;
  operation: string;
  /** What it acted on, as the record names it (the first few resources), or '' when the record names none. */
  resource: string;
  region: string | null;
  /** 'ok', or the error code of a call that failed. */
  status: string;
  eventId: string;
}

/** An identity's destructive calls, by operation then time, with each operation's count. */
export interface ReportDestructiveIdentity {
  principal: string;
  label: string;
  /** The agent identity it was attributed to; null for any other caller. */
  agent: string | null;
  total: number;
  failed: number;
  operations: Array<{ operation: string; calls: number; failed: number }>;
  calls: ReportDestructiveCall[];
}

/** Every destructive call in the collected cloud logs (the report's appendix), agent identities first. */
export interface ReportDestructiveCalls {
  total: number;
  failed: number;
  identities: ReportDestructiveIdentity[];
  /** Calls beyond REPORT_DESTRUCTIVE_CALLS: counted per operation, not listed; they are in the evidence files. */
  notListed: number;
}

/** The appendix lists at most this many calls (about 250 PDF pages as a listing); the rest are counted. */
export const REPORT_DESTRUCTIVE_CALLS = 20_000;
export const REPORT_STATEMENT_CHARS = 400;

export interface ReportCloudTrail {
  events: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  agentIdentities: string[];
  findings: ReportFinding[];
  /** Calls per second of each identity over time, all clouds on one axis (the app's activity chart). */
  activity?: ActivityChartData;
  /** Set when the report was made while an analysis was being committed: what it shows is not final. */
  analysing?: { since: string; generation: number } | null;
}

/** The agent's decision chain as imported from its traces (`firebreak trace import`). */
export interface ReportAgentTraces {
  imports: Array<{ id: string; evidenceIds: string[] }>;
  runs: number;
  toolCalls: number;
  destructive: number;
  /** The model's words before the first destructive call, secrets redacted. */
  lastWordsBeforeDestruction: { time: string; text: string } | null;
  findings: Array<{ kind: string; severity: string; title: string }>;
  /** The destructive tool calls, each with the cloud events and (absent in older reports) the database changes tied to it. */
  calls: Array<{ name: string; start: string; because: string | null; arguments: string | null; correlated: string[]; databaseChanges?: string[] }>;
  /** Destructive cloud events and database statements no tool call explains; absent in older reports. */
  unexplained?: string[];
}

export interface ReportValidationRun {
  id: string;
  /** The database (engine, name, server) or backup file, and for a compare its baseline; absent in older reports. */
  about?: string;
  /** The baseline a compare was held against; absent in older reports. */
  baselineRunId?: string | null;
  kind: ValidationRunKind;
  status: ValidationRunStatus;
  verdict: ValidationVerdict | null;
  target: string | null;
  engine: string | null;
  startedAt: string;
  finishedAt: string | null;
  startedBy: Operator;
  summary: string | null;
  resultSha256: string | null;
  evidenceId: string | null;
}

export interface ReportGapLine {
  label: string;
  title: string;
  state: GapState | null;
  gap: string | null;
  owner: string | null;
  dueDate: string | null;
}

export interface IncidentReportModel extends ReportHeader {
  kind: 'incident';
  summary: {
    overview: string;
    playbookSummary: string;
    facts: Array<{ label: string; value: string }>;
  };
  keyTimeline: KeyEvent[];
  phases: PhaseActions[];
  escalations: Array<{ id: string; notify: string[]; when: string; raisedAt: string; raisedBy: string }>;
  clocks: Array<{ regime: string; rule: string; status: ClockStatus; dueAt: string | null; notifiedAt: string | null }>;
  /** The 30-day watch after Recovery and every check logged in it; null until Recovery closes, absent in older reports. */
  monitoring?: { startedAt: string; endsAt: string; checks: Array<{ at: string; result: 'clear' | 'alert'; note: string; by: string }> } | null;
  /** Null when no CloudTrail activity has been collected for the incident. */
  cloudtrail: ReportCloudTrail | null;
  /** Null when no database log has been imported for the incident. */
  databaseLog: ReportDatabaseLog | null;
  /** Every destructive cloud call, one line each (the appendix); null when none is recorded; absent in older reports. */
  destructiveCalls?: ReportDestructiveCalls | null;
  /** The agent's identity: could versus did, credentials, revocations, least-privilege drafts; absent in older reports. */
  iam?: ReportIam | null;
  /** Null when no agent trace has been imported. */
  agentTraces: ReportAgentTraces | null;
  /**
   * Evidence in acquisition order. Reports Firebreak generated (source 'report') are left out, so that a report's
   * hash does not change because an earlier report was saved; the bundle lists them.
   */
  /** `secrets` is absent from reports made before the scan's findings were reported (their bundles still re-render). */
  /** `unreadLogs` is absent from reports made before files read only in part were reported. */
  evidence: { items: ReportEvidenceItem[]; totalBytes: number; reportsNotListed: number; secrets?: ReportSecret[]; unreadLogs?: ReportUnreadLog[] };
  /** Every run; the newest finished compare of any store; every affected data store with its own newest compare. */
  validation: { runs: ReportValidationRun[]; latestCompare: ReportValidationRun | null; stores: StoreValidation[] };
  /** Each finished row diff: per table the rows lost and changed, the personal data they held and whose; absent in older reports. */
  scopeOfLoss?: ReportScopeOfLoss[];
  gaps: ReportGapLine[];
  overrides: ReportOverride[];
  signOffs: { records: SignOffRecord[]; missing: string[] };
}

export interface GapReportModel extends ReportHeader {
  kind: 'gap';
  controls: ControlAssessment[];
  counts: Record<GapState | 'unassessed', number>;
  missing: string[];
  signOffs: SignOffRecord[];
}

export interface SignOffReportModel extends ReportHeader {
  kind: 'signoff';
  steps: SignOffStatus[];
  overrides: ReportOverride[];
  /** Whether each signature verified against its public key when the report was made, by sign-off id. */
  verified: Record<string, boolean>;
}

export type ReportModel = IncidentReportModel | GapReportModel | SignOffReportModel;

export interface ReportExport {
  kind: ReportKind;
  format: ReportFormat;
  fileName: string;
  mediaType: string;
  /** utf8 for text formats, base64 for PDF. */
  encoding: 'utf8' | 'base64';
  content: string;
  contentSha256: string;
  /** SHA-256 of the file's bytes (for JSON, equal to contentSha256). */
  fileSha256: string;
  /** The report kept as evidence; null when not saved. */
  evidenceId: string | null;
}

export interface ReportPreview {
  kind: ReportKind;
  contentSha256: string;
  /** Self-contained HTML: inline CSS, no scripts, no external resources. Show it in a sandboxed frame. */
  html: string;
}

/** Progress of writing a case bundle, stage by stage. */
export interface BundleProgress {
  stage: 'reports' | 'evidence' | 'ledger' | 'finishing';
  done: number;
  total: number;
}

export interface BundleResult {
  path: string;
  bytes: number;
  /** SHA-256 of the zip file. */
  sha256: string;
  /** SHA-256 of its SHA256SUMS, recorded in the ledger. */
  sumsSha256: string;
  files: number;
  evidenceItems: number;
  manifestOnly: boolean;
  ledgerEntries: number;
  /** The operator who exported the bundle and signed its SHA256SUMS (SHA256SUMS.sig, exporter.pem). */
  exporter: BundleKeyHolder;
  /** Stored evidence whose bytes no longer match their recorded hash: bundled as found, and named here. */
  problems: string[];
}

/**
 * Someone whose Ed25519 key signed part of a bundle. Every key comes with the bundle, so a signature only says who signed
 * once the fingerprint (SHA-256 of the key's DER SubjectPublicKeyInfo) matches one obtained from that person out of band.
 */
export interface BundleKeyHolder {
  name: string;
  role: string;
  fingerprint: string;
}

export interface BundleCheck {
  /** hashes, zip, exporter, ledger, reports, signatures, checkpoint, evidence, layout. */
  name: string;
  ok: boolean;
  detail: string;
}

export interface BundleVerification {
  ok: boolean;
  path: string;
  incidentId: string | null;
  checks: BundleCheck[];
  /** Every failure, each naming the file and what is wrong with it. */
  problems: string[];
  /**
   * Who signed SHA256SUMS, with the fingerprint of the key that did (null when the bundle has no such signature).
   * `verified`: the signature holds with that key; whether the key is the exporter's is for the reader to compare.
   */
  exporter: (BundleKeyHolder & { verified: boolean }) | null;
  /**
   * Every sign-off signature in the bundle, with its signer's fingerprint (compare each out of band too). `custody`:
   * the signer's own enrolled key, or a key Firebreak held on the operator's machine (before signers were enrolled).
   */
  signers: Array<BundleKeyHolder & { id: string; verified: boolean; custody: 'signer' | 'firebreak' }>;
}

/** One finished row diff of an incident, as the report shows it: counts and categories, never a value. */
export interface ReportScopeOfLoss {
  runId: string;
  reference: string;
  actual: string;
  comparedAt: string;
  /** Null when its stored result could not be read or no longer matches its evidence hash (then `problem` says so). */
  tables: Array<{
    table: string;
    status: string;
    keyedBy: 'primary-key' | 'whole-row';
    missing: number;
    extra: number;
    changed: number;
    categories: string[];
    classes: string[];
    /** `path`: the foreign-key path followed to the people, one step or more ("" for the table's own key). */
    subjects: { table: string; columns: string[]; total: number; affected: number; path: string } | null;
    keysEvidence: string | null;
  }>;
  classes: string[];
  problem: string | null;
}
