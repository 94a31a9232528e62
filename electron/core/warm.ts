/**
 * The warm-up door: before a call, an adapter may ask core to start what that call will need and is slow to start,
 * while the process is still loading the rest of core (the CLI spends some 100 ms on it). Today that is:
 * - the reader threads of the two stateless scans: each takes some 60 ms to load Node and its code, which then
 *   overlaps core's loading instead of following it. Given the resources folder, the threads are also set up as the
 *   scan will set them up and each starts reading the file the scan would hand it first, on a core that would otherwise
 *   wait. The call takes the threads (their head start only when it reads those files first with that set-up);
 *   threads no call takes end by themselves;
 * - the copy and hash of the first file of `evidence add` (evidence/warm-intake.ts), on a thread of its own, into a
 *   temporary file of the store: the call adopts it for that file, and a copy no call adopts is discarded.
 * A warm-up records nothing (no item, no ledger entry) and never fails: the call validates its input as always.
 */
import type { ApiMethod } from '../shared/contract/index';
import { type ReaderName, prestartReadersFor } from './cloudtrail/analyse/scan-pool';
import { prestartIntake } from './evidence/warm-intake';

const READERS: Partial<Record<ApiMethod, ReaderName>> = { 'cloudtrail.scan': 'scan-worker', 'logs.scan': 'logs-worker' };

/** The set-up the call's readers will have, as the handlers make it from the input; null when the input is not a scan's. */
async function setupFor(method: ApiMethod, input: { agents?: unknown }, resourcesDir: string): Promise<{ key: string; data: unknown } | null> {
  const agents = input.agents ?? [];
  if (!Array.isArray(agents) || !agents.every((a): a is string => typeof a === 'string')) return null;
  // Each scan's module only (the call loads it next anyway).
  if (method === 'logs.scan') return (await import('./cloudtrail/analyse/logs-scan')).logsReaderSetup(resourcesDir, agents);
  if (method === 'cloudtrail.scan') return (await import('./cloudtrail/analyse/scan')).scanReaderSetup(resourcesDir, agents);
  return null;
}

/**
 * Starts ahead what `method` will need for this input; does nothing for methods with nothing worth starting early.
 * `resourcesDir`: the one core will be opened with, for the readers' set-up (without it they are only started);
 * `dataDir`: the data folder core will be opened on, whose evidence store an intake begun ahead copies into.
 */
export async function warmFor(method: ApiMethod, input: unknown, resourcesDir?: string, dataDir?: string): Promise<void> {
  const name = READERS[method];
  const paths = (input as { paths?: unknown } | null)?.paths;
  if (method === 'evidence.addFromPaths') {
    // Its first file's copy and hash, into the data folder's store (prestartIntake says when that is worth it).
    const first = Array.isArray(paths) ? paths[0] : undefined;
    if (dataDir && typeof first === 'string' && (input as { legacyHashes?: unknown }).legacyHashes !== true) {
      await prestartIntake(dataDir, first).catch(() => {});
    }
    return;
  }
  if (!name || !Array.isArray(paths) || !paths.every((p): p is string => typeof p === 'string')) return;
  const setup = async () => {
    try {
      return resourcesDir ? await setupFor(method, input as { agents?: unknown }, resourcesDir) : null;
    } catch {
      // The call reads the resources again and says what is wrong with them; the threads are still worth starting.
      return null;
    }
  };
  try {
    await prestartReadersFor(name, paths, setup);
  } catch {
    // Nothing to report here: the call itself says what is wrong with the paths.
  }
}
