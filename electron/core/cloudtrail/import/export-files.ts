import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ScanFileResult } from '../../../shared/cloudtrail';

export interface ExportFile {
  path: string;
  size: number;
}

export interface CollectedFiles {
  files: ExportFile[];
  /** Paths that were not read, with why (digest files, other file types, unreadable or missing paths). */
  others: ScanFileResult[];
}

const LOG_FILE = /\.jsonl?(\.gz)?$|\.gz$/i;
const DIGEST_FILE = /_CloudTrail-Digest_/;

const skipped = (path: string, reason: string): ScanFileResult => ({ path, status: 'skipped', records: 0, reason });
const failed = (path: string, reason: string): ScanFileResult => ({ path, status: 'failed', records: 0, reason });

const why = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot be read (${code ?? (e as Error).message})`;
};

/**
 * Expands the paths given (single files, directories, whole AWSLogs/ trees) into the log files to read, sorted by path
 * (which is time order within a region). Digest files and CloudTrail-Digest folders are set aside for verify-digests.
 */
export async function collectExportFiles(paths: readonly string[]): Promise<CollectedFiles> {
  const files: ExportFile[] = [];
  const others: ScanFileResult[] = [];
  const seen = new Set<string>();

  const addFile = async (path: string, size: number, explicit: boolean) => {
    const name = basename(path);
    if (DIGEST_FILE.test(name)) return others.push(skipped(path, 'CloudTrail digest file: check it with `cloudtrail verify-digests`'));
    if (name.endsWith('.sig')) return others.push(skipped(path, 'digest signature file'));
    if (!explicit && !LOG_FILE.test(name)) return others.push(skipped(path, 'not a .json or .json.gz file'));
    let real: string;
    try {
      real = await realpath(path);
    } catch (e) {
      return others.push(failed(path, why(e)));
    }
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path, size });
  };

  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      others.push(failed(dir, why(e)));
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'CloudTrail-Digest') others.push(skipped(path, 'digest folder: check it with `cloudtrail verify-digests`'));
        else await walk(path);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        try {
          const st = await stat(path);
          if (st.isFile()) await addFile(path, st.size, false);
          else if (st.isDirectory()) await walk(path);
        } catch (e) {
          others.push(failed(path, why(e)));
        }
      }
    }
  };

  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      others.push(failed(p, why(e)));
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else if (st.isFile()) await addFile(p, st.size, true);
    else others.push(failed(p, 'not a regular file or directory'));
  }
  return { files, others };
}
