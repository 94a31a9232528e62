/**
 * What the context carries of the playbook library: its shape only. The library itself (reading folders, linting) lives
 * in playbooks/, above the context, so the context names this interface and never imports upwards.
 */
import type { PlaybookSummary } from '../../shared/domain';
import type { ControlCatalog } from '../../shared/playbook/catalog';
import type { LintProblem } from '../../shared/playbook/lint';
import type { Playbook } from '../../shared/playbook/schema';

export interface LoadedPlaybook {
  summary: PlaybookSummary;
  /** The file's exact text; an incident pins it with its SHA-256. */
  content: string;
  sha256: string;
  path: string;
  /** Phase ids in order. */
  phases: string[];
  /** The parsed, validated playbook. */
  playbook: Playbook;
}

/** A playbook file the library leaves out, and why: what `firebreak lint` would print. */
export interface RejectedPlaybook {
  path: string;
  problems: LintProblem[];
}

export interface PlaybookLibrary {
  /** Valid playbooks only, first folder first. */
  list(): PlaybookSummary[];
  get(id: string): LoadedPlaybook | undefined;
  /** Files left out of the library because lint found problems (including a second file with a known id). */
  rejected(): RejectedPlaybook[];
  catalog(): ControlCatalog;
}
