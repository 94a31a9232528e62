import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ControlCatalog } from '../../shared/playbook/catalog';
import { lintPlaybookText } from '../../shared/playbook/lint';
import type { Playbook } from '../../shared/playbook/schema';
import type { LoadedPlaybook, PlaybookLibrary, RejectedPlaybook } from '../kernel/playbook-library';
import { loadControlCatalog } from './catalog';

export type { LoadedPlaybook, PlaybookLibrary, RejectedPlaybook } from '../kernel/playbook-library';

export const isPlaybookFile = (name: string): boolean => /\.ya?ml$/i.test(name);

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Reads the playbooks in the given folders each time it is asked, so an edited file shows without a restart; parsing is
 * cached by content hash. Only valid playbooks are listed; an id seen in an earlier folder (the shipped playbooks come
 * first) wins over a later file with the same id. The catalog defaults to the one shipped beside the first folder
 * (resources/nist under the resources directory that holds playbooks/).
 */
export function playbookLibrary(dirs: readonly string[], catalog?: ControlCatalog): PlaybookLibrary {
  let resolved = catalog;
  const getCatalog = (): ControlCatalog => (resolved ??= loadControlCatalog(dirname(dirs[0] ?? '.')));
  const parsed = new Map<string, ReturnType<typeof lintPlaybookText>>();

  const scan = () => {
    const valid: LoadedPlaybook[] = [];
    const rejected: RejectedPlaybook[] = [];
    const byId = new Map<string, string>();
    const seen = new Set<string>();
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter(isPlaybookFile).sort();
      } catch {
        continue; // a data directory without imported playbooks
      }
      for (const name of names) {
        const path = join(dir, name);
        let content: string;
        try {
          content = readFileSync(path, 'utf8');
        } catch (e) {
          rejected.push({ path, problems: [{ line: 1, col: 1, message: `cannot be read: ${(e as Error).message}` }] });
          continue;
        }
        const hash = sha256(content);
        seen.add(hash);
        let result = parsed.get(hash);
        if (!result) {
          result = lintPlaybookText(content, { catalog: getCatalog() });
          parsed.set(hash, result);
        }
        const playbook = result.playbook;
        if (!playbook) {
          rejected.push({ path, problems: result.problems });
          continue;
        }
        const first = byId.get(playbook.id);
        if (first) {
          rejected.push({ path, problems: [{ line: 1, col: 1, message: `playbook id "${playbook.id}" is already used by ${first}` }] });
          continue;
        }
        byId.set(playbook.id, path);
        valid.push(loaded(playbook, content, hash, path));
      }
    }
    for (const hash of parsed.keys()) if (!seen.has(hash)) parsed.delete(hash);
    return { valid, rejected };
  };

  return {
    list: () => scan().valid.map((p) => p.summary),
    get: (id) => scan().valid.find((p) => p.summary.id === id),
    rejected: () => scan().rejected,
    catalog: getCatalog,
  };
}

function loaded(playbook: Playbook, content: string, hash: string, path: string): LoadedPlaybook {
  return {
    summary: {
      id: playbook.id,
      version: playbook.version,
      title: playbook.title,
      summary: playbook.summary,
      severity: playbook.severity,
    },
    content,
    sha256: hash,
    path,
    phases: playbook.phases.map((p) => p.id),
    playbook,
  };
}
