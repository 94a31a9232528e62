import * as z from 'zod';
import type { PlaybookSummary } from '../domain';
import type { CacaoPlaybook, PlaybookImport } from '../playbook/cacao-types';
import { SLUG_RE } from '../playbook/ids';
import type { LintProblem } from '../playbook/lint';
import type { PlaybookDetail, PlaybookLintReport, RejectedPlaybookFile } from '../playbook/types';
import { method, noInput, text } from './define';

/** `firebreak lint`: each file's problems, and the paths that could not be read at all. */
export interface PlaybookFilesLint {
  files: Array<{ file: string; id?: string; problems: LintProblem[] }>;
  unreadable: Array<{ path: string; reason: string }>;
}

const playbookId = z
  .string({ error: 'Playbook must be text' })
  .trim()
  .regex(SLUG_RE, 'a playbook id looks like agent-destructive-action')
  .max(64, 'a playbook id is at most 64 characters');

export const playbooksContract = {
  /** The valid playbooks, shipped first, then those imported into the data directory. */
  'playbooks.list': method<PlaybookSummary[]>().query(() => noInput),
  /** One playbook in full, with the titles of the SP 800-53 controls it cites. */
  'playbooks.get': method<PlaybookDetail>().query(() => z.object({ id: playbookId }).strict()),
  /** Lints YAML text (an editor buffer) with the same checks as `firebreak lint`. */
  'playbooks.lint': method<PlaybookLintReport>().query(
    () => z.object({ text: z.string({ error: 'text must be the YAML of a playbook' }).max(2_000_000, 'a playbook is at most 2 MB') }).strict(),
  ),
  /** Lints playbook files and folders on this machine (a folder: its .yaml and .yml files), as `firebreak lint` does. */
  'playbooks.lintFiles': method<PlaybookFilesLint>().query(
    () => z.object({ paths: z.array(text('Path', 4096)).min(1, 'give at least one path').max(10_000) }).strict(),
  ),
  /** Playbook files the library leaves out, with their lint problems. */
  'playbooks.problems': method<RejectedPlaybookFile[]>().query(() => noInput),
  /** A playbook as an OASIS CACAO v2.0 document. */
  'playbooks.export': method<CacaoPlaybook>().query(() => z.object({ id: playbookId, format: z.literal('cacao', { error: 'the only export format is cacao' }) }).strict()),
  /** Converts a CACAO v2.0 playbook (JSON text) and saves it to the data directory's playbooks/. */
  'playbooks.import': method<PlaybookImport>().mutation(
    () => z
      .object({
        cacao: z.string({ error: 'cacao must be the JSON text of a CACAO playbook' }).min(2).max(10_000_000, 'a CACAO playbook is at most 10 MB'),
        /** Save under this id instead of the one in the document. */
        id: playbookId.optional(),
        /** Where the document came from, for the ledger. */
        source: text('Source', 500).optional(),
      })
      .strict(),
  ),
};
