/**
 * The warm-up door: before a call, an adapter may ask core to start what that call will need and is slow to start,
 * while the process is still loading the rest of core (the CLI spends some 150 ms on it). Today that is the reader
 * threads of the two stateless scans: each takes some 60 ms to load Node and its code, which then overlaps core's
 * loading instead of following it. A warm-up records nothing, opens no file (it lists the paths as the scan will) and
 * never fails: the call validates its input as always and takes the threads; threads no call takes end by themselves.
 */
import type { ApiMethod } from '../shared/contract/index';
import { type ReaderName, prestartReadersFor } from './cloudtrail/analyse/scan-pool';

const READERS: Partial<Record<ApiMethod, ReaderName>> = { 'cloudtrail.scan': 'scan-worker', 'logs.scan': 'logs-worker' };

/** Starts ahead what `method` will need for this input; does nothing for methods with nothing worth starting early. */
export async function warmFor(method: ApiMethod, input: unknown): Promise<void> {
  const name = READERS[method];
  const paths = (input as { paths?: unknown } | null)?.paths;
  if (!name || !Array.isArray(paths) || !paths.every((p): p is string => typeof p === 'string')) return;
  try {
    await prestartReadersFor(name, paths);
  } catch {
    // Nothing to report here: the call itself says what is wrong with the paths.
  }
}
