/** What the playbooks Api returns, beyond the domain's PlaybookSummary. */
import type { PlaybookSummary } from '../domain';
import type { ControlInfo } from './catalog';
import type { LintProblem } from './lint';
import type { Playbook } from './schema';

export interface PlaybookDetail {
  summary: PlaybookSummary;
  playbook: Playbook;
  /** SHA-256 of the file; an incident opened now would pin this. */
  sha256: string;
  /** Shipped with Firebreak, or imported into this data directory. */
  origin: 'shipped' | 'imported';
  /** Every SP 800-53 control the playbook cites, by catalog id (`ac-2.1`), with its label and title. */
  controls: Record<string, ControlInfo>;
}

export interface PlaybookLintReport {
  ok: boolean;
  /** The playbook's id and title when it parsed. */
  id?: string;
  title?: string;
  problems: LintProblem[];
}

/** A playbook file the library leaves out because lint found problems. */
export interface RejectedPlaybookFile {
  path: string;
  problems: LintProblem[];
}
