/**
 * The Post-Incident gap analysis: for each SP 800-53 control of the playbook's gap set, the control as NIST states it
 * and what the responders found. Plain data only; shared by core, adapters and the renderer.
 */
import type { Operator } from './domain';
import type { EvidenceStatus } from './evidence';

/** The state of a control at the time of the incident, in the seed's words. */
export const GAP_STATES = ['implemented', 'partially-implemented', 'not-implemented', 'not-applicable'] as const;
export type GapState = (typeof GAP_STATES)[number];

export const GAP_STATE_LABELS: Record<GapState, string> = {
  implemented: 'Implemented',
  'partially-implemented': 'Partially implemented',
  'not-implemented': 'Not implemented',
  'not-applicable': 'Not applicable',
};

/** A state that leaves work to do: it needs the specific gap, an owner and a due date. */
export const isOpenGap = (s: GapState | null): boolean => s === 'partially-implemented' || s === 'not-implemented';

/** One line of a control's statement or assessment objectives, flattened from the catalog's nested parts. */
export interface CatalogLine {
  /** As NIST labels it: "a.", "1.", "AC-02a.[01]". */
  label: string;
  /** Organisation-defined parameters read "[Assignment: organization-defined ...]", as NIST prints them. */
  text: string;
  /** Nesting depth, 0 for the top level. */
  depth: number;
}

export interface ControlText {
  /** Catalog id: `ac-2`, `cm-3.1`. */
  id: string;
  /** As NIST prints it: `AC-2`, `CM-3(1)`. */
  label: string;
  title: string;
  family: string;
  statement: CatalogLine[];
  /** SP 800-53A assessment objectives. */
  objectives: CatalogLine[];
}

export interface GapEvidence {
  id: string;
  name: string;
  sha256: string;
  status: EvidenceStatus;
}

export interface ControlAssessment {
  /** Catalog id, the key of the assessment: `ac-2`. */
  controlId: string;
  /** As NIST prints it: `AC-2`. */
  label: string;
  /** Why the control is in the gap set: a gap-assessment step asks about it, its phase names it, or the playbook maps it. */
  source: 'gap-assessment' | 'phase' | 'playbook-mapping';
  stepId: string | null;
  /** The playbook's question for this control; null for controls the playbook only maps. */
  question: string | null;
  /** Null only when the shipped catalog lacks the control (lint prevents that for shipped playbooks). */
  control: ControlText | null;
  state: GapState | null;
  /** The specific gap (for not-applicable: why it does not apply). */
  gap: string | null;
  owner: string | null;
  /** YYYY-MM-DD. */
  dueDate: string | null;
  evidence: GapEvidence[];
  updatedAt: string | null;
  updatedBy: Operator | null;
}

export interface GapAnalysis {
  incidentId: string;
  controls: ControlAssessment[];
  /** Controls with a recorded state. */
  assessed: number;
  /** What the analysis still lacks, one line per missing item; empty when complete. */
  missing: string[];
}
