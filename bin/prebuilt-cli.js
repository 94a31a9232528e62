// Decides whether `firebreak` may run the bundle in dist/cli/: only when every file listed in its stamp (each source
// esbuild read, the build's own configuration, each output) still has the size and mtime it had at build time.
// A few hundred stat calls take about a millisecond; compiling the sources with tsx takes most of a second.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const STAMP_FILE = 'build-stamp.json';

/**
 * The file URL of the prebuilt CLI's entry under root, or null when there is no build or it is not current. Never
 * throws: any doubt (no stamp, an unreadable or unknown one, a missing file) means "run the sources".
 * @param {string} root the package root
 * @returns {string | null}
 */
export function prebuiltCli(root) {
  const outdir = join(root, 'dist', 'cli');
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outdir, STAMP_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (stamp?.format !== 1 || typeof stamp.entry !== 'string' || !Array.isArray(stamp.files) || stamp.files.length === 0) return null;
  for (const file of stamp.files) {
    if (!Array.isArray(file) || typeof file[0] !== 'string') return null;
    const s = statSync(join(root, file[0]), { throwIfNoEntry: false });
    if (!s || s.size !== file[1] || s.mtimeMs !== file[2]) return null;
  }
  return pathToFileURL(join(outdir, stamp.entry)).href;
}
