import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlaybookSummary, Severity } from '../../shared/domain';

export interface LoadedPlaybook {
  summary: PlaybookSummary;
  /** The file's exact text; an incident pins it with its SHA-256. */
  content: string;
  sha256: string;
  path: string;
  /** Phase ids in order. */
  phases: string[];
}

export interface PlaybookLibrary {
  list(): PlaybookSummary[];
  get(id: string): LoadedPlaybook | undefined;
}

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Reads the playbooks in the given folders each time it is asked, so an edited file shows without a restart. */
export function playbookLibrary(dirs: readonly string[]): PlaybookLibrary {
  const load = (): LoadedPlaybook[] => {
    const out: LoadedPlaybook[] = [];
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(dir, name);
        const content = readFileSync(path, 'utf8');
        let doc: Record<string, unknown>;
        try {
          doc = parse(content) as Record<string, unknown>;
        } catch {
          continue; // `firebreak lint` reports it; a broken file must not hide the good ones
        }
        if (!doc || typeof doc.id !== 'string') continue;
        const severity = SEVERITIES.includes(doc.severity as Severity) ? (doc.severity as Severity) : 'high';
        const phases = Array.isArray(doc.phases)
          ? (doc.phases as Array<{ id?: unknown }>).map((p) => String(p.id ?? '')).filter(Boolean)
          : [];
        out.push({
          summary: {
            id: doc.id,
            version: String(doc.version ?? '0'),
            title: String(doc.title ?? doc.id),
            summary: String(doc.summary ?? ''),
            severity,
          },
          content,
          sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
          path,
          phases,
        });
      }
    }
    return out;
  };
  return {
    list: () => load().map((p) => p.summary),
    get: (id) => load().find((p) => p.summary.id === id),
  };
}
