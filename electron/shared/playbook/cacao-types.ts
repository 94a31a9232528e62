/** The parts of an OASIS CACAO v2.0 playbook Firebreak writes and reads (the official JSON schemas define the rest). */

export interface CacaoCommand {
  type: string;
  command?: string;
  command_b64?: string;
  description?: string;
  version?: string;
  playbook_activity?: string;
}

export interface CacaoExternalReference {
  name: string;
  source?: string;
  url?: string;
  external_id?: string;
  description?: string;
}

export interface CacaoWorkflowStep {
  type: string;
  name?: string;
  description?: string;
  on_completion?: string;
  on_success?: string;
  on_failure?: string;
  on_true?: string;
  on_false?: string;
  next_steps?: string[];
  cases?: Record<string, string>;
  default?: string;
  condition?: string;
  switch?: string;
  playbook_id?: string;
  agent?: string;
  targets?: string[];
  commands?: CacaoCommand[];
  external_references?: CacaoExternalReference[];
  step_extensions?: Record<string, unknown>;
}

export interface CacaoVariable {
  type: string;
  description?: string;
  value?: string | null;
  constant?: boolean;
  external?: boolean;
}

export interface CacaoPlaybook {
  type: 'playbook';
  spec_version: 'cacao-2.0';
  id: string;
  name: string;
  description?: string;
  playbook_types?: string[];
  playbook_activities?: string[];
  created_by: string;
  created: string;
  modified: string;
  priority?: number;
  severity?: number;
  labels?: string[];
  external_references?: CacaoExternalReference[];
  playbook_variables?: Record<string, CacaoVariable>;
  workflow_start: string;
  workflow: Record<string, CacaoWorkflowStep>;
  playbook_extensions?: Record<string, unknown>;
  agent_definitions?: Record<string, { type: string; name: string }>;
  extension_definitions?: Record<string, unknown>;
}

/** The extension that carries what CACAO has no field for (phases, gates, step kinds), so an import loses nothing. */
export const FIREBREAK_EXTENSION_ID = 'extension-definition--46767de9-2a9a-4aaf-a6af-0e86240202af';
/** The STIX identity Firebreak exports as. */
export const FIREBREAK_IDENTITY_ID = 'identity--04bc5cdb-2a74-424d-affe-70e55603903c';
/** The agent that carries out every step: the incident responder working the playbook. */
export const RESPONDER_AGENT_ID = 'individual--bb288b02-2ff0-4885-a782-10c1291f5401';
/** The namespace CACAO reserves for playbook UUIDv5 ids (identifier data type, section 10.10). */
export const CACAO_UUID_NAMESPACE = 'aa7caf3a-d55a-4e9a-b34e-056215fba56a';

/** What a CACAO import produced: the playbook as YAML, where it was saved, and what lint thinks of it. */
export interface PlaybookImport {
  id: string;
  title: string;
  path: string;
  sha256: string;
  /** True when the YAML carried Firebreak's extension and came back unchanged in substance. */
  lossless: boolean;
  /** What the conversion had to assume, e.g. "severity not given: set to medium". */
  notes: string[];
  problems: Array<{ line: number; col: number; message: string }>;
}
