/**
 * The fixed words of a playbook: phases, step kinds, platforms, parameter types and the CSF 2.0 categories. Lint, the
 * schema, the CACAO mapping and the UI all read them from here.
 */

/** The five phases, in the order a responder works them. Every playbook has exactly these, in this order. */
export const PHASE_IDS = ['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident'] as const;
export type PhaseId = (typeof PHASE_IDS)[number];

export const PHASE_TITLES: Record<PhaseId, string> = {
  containment: 'Containment',
  'detection-analysis': 'Detection & Analysis',
  eradication: 'Eradication',
  recovery: 'Recovery',
  'post-incident': 'Post-Incident',
};

export const STEP_KINDS = [
  'checklist',
  'command',
  'evidence',
  'cloudtrail',
  'agent-trace',
  'validation',
  'gap-assessment',
  'sign-off',
  'decision',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const PLATFORMS = ['aws', 'azure', 'gcp', 'active-directory', 'postgres', 'mysql', 'sqlserver', 'dynamodb', 'shell'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The language a command is written in decides how parameter values are quoted when it is rendered:
 * bash (POSIX shell single quotes), powershell (single quotes, doubled), kql (Kusto string literal), tsql (N'...').
 */
export const COMMAND_LANGUAGES = ['bash', 'powershell', 'kql', 'tsql'] as const;
export type CommandLanguage = (typeof COMMAND_LANGUAGES)[number];

/** What a command is written in when the playbook does not say: az CLI runs in a POSIX shell, AD cmdlets in PowerShell. */
export const DEFAULT_LANGUAGE: Record<Platform, CommandLanguage> = {
  aws: 'bash',
  azure: 'bash',
  gcp: 'bash',
  'active-directory': 'powershell',
  postgres: 'bash',
  mysql: 'bash',
  sqlserver: 'tsql',
  dynamodb: 'bash',
  shell: 'bash',
};

export const PARAMETER_TYPES = ['string', 'arn', 'datetime', 'list', 'aws-account-id', 'email', 'url', 'path'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const TRIAGE_PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export type TriagePriority = (typeof TRIAGE_PRIORITIES)[number];

/** The attributes CloudTrail LookupEvents accepts; it takes exactly one per call. */
export const LOOKUP_ATTRIBUTES = [
  'AccessKeyId',
  'EventId',
  'EventName',
  'EventSource',
  'ReadOnly',
  'ResourceName',
  'ResourceType',
  'Username',
] as const;
export type LookupAttribute = (typeof LOOKUP_ATTRIBUTES)[number];

/** LookupEvents returns management events of the last 90 days only. */
export const CLOUDTRAIL_LOOKBACK_MAX_DAYS = 90;

export const VALIDATION_MODES = ['baseline', 'compare'] as const;
export const VALIDATION_CHECKS = ['row-counts', 'checksums', 'schema'] as const;
/**
 * Records Firebreak makes itself that an evidence artifact can declare it is filled by (`filledBy`). `cloudtrail-look-back`
 * is a CloudTrail import whose events span the 30 days before containment.
 */
export const SELF_FILING_RECORDS = ['baseline', 'import', 'compare', 'check-database', 'check-backup', 'cloudtrail-look-back'] as const;

export const ATTACK_TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
] as const;

/** NIST CSF 2.0 categories (the 22 of the Core). Playbooks may cite a function, a category or a subcategory of these. */
export const CSF_CATEGORIES = [
  'GV.OC', 'GV.RM', 'GV.RR', 'GV.PO', 'GV.OV', 'GV.SC',
  'ID.AM', 'ID.RA', 'ID.IM',
  'PR.AA', 'PR.AT', 'PR.DS', 'PR.PS', 'PR.IR',
  'DE.CM', 'DE.AE',
  'RS.MA', 'RS.AN', 'RS.CO', 'RS.MI',
  'RC.RP', 'RC.CO',
] as const;
export const CSF_FUNCTIONS = ['GV', 'ID', 'PR', 'DE', 'RS', 'RC'] as const;

/** Where a phase sits in SP 800-61r3 when an imported playbook does not say (README of the reference data). */
export const PHASE_NIST_DEFAULTS: Record<PhaseId, { reference: string; csf: string[] }> = {
  containment: { reference: 'SP 800-61r3 §3.2', csf: ['RS.MI-01'] },
  'detection-analysis': { reference: 'SP 800-61r3 §3.2', csf: ['DE.AE', 'RS.AN'] },
  eradication: { reference: 'SP 800-61r3 §3.2', csf: ['RS.MI-02'] },
  recovery: { reference: 'SP 800-61r3 §3.2', csf: ['RC.RP'] },
  'post-incident': { reference: 'SP 800-61r3 §3.1', csf: ['ID.IM'] },
};
