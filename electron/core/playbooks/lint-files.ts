import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlCatalog } from '../../shared/playbook/catalog';
import { type LintProblem, lintPlaybookText } from '../../shared/playbook/lint';
import { isPlaybookFile } from './library';

export interface FileLint {
  /** The path as the user gave it, or joined to the folder they gave. */
  file: string;
  id?: string;
  problems: LintProblem[];
}

export interface LintRun {
  files: FileLint[];
  /** Paths that could not be read at all, with the reason. */
  unreadable: Array<{ path: string; reason: string }>;
}

/**
 * Lints files and folders of playbooks (a folder: its *.yaml and *.yml files). Besides each file's own problems, a
 * playbook id used by an earlier file is reported where the later file declares it.
 */
export function lintPaths(paths: readonly string[], catalog: ControlCatalog): LintRun {
  const run: LintRun = { files: [], unreadable: [] };
  const files: string[] = [];
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) {
        const names = readdirSync(path).filter(isPlaybookFile).sort();
        if (names.length === 0) run.unreadable.push({ path, reason: 'the folder holds no .yaml or .yml files' });
        files.push(...names.map((n) => join(path, n)));
      } else files.push(path);
    } catch (e) {
      run.unreadable.push({ path, reason: reason(e) });
    }
  }
  const firstById = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      run.unreadable.push({ path: file, reason: reason(e) });
      continue;
    }
    const result = lintPlaybookText(text, { catalog });
    const entry: FileLint = { file, problems: result.problems, ...(result.playbook ? { id: result.playbook.id } : {}) };
    if (result.playbook) {
      const first = firstById.get(result.playbook.id);
      const at = result.idAt ?? { line: 1, col: 1 };
      if (first) entry.problems = [{ ...at, message: `playbook id "${result.playbook.id}" is already used by ${first}` }];
      else firstById.set(result.playbook.id, file);
    }
    run.files.push(entry);
  }
  return run;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (e as Error)?.message ?? String(e);
}
