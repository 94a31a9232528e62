import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LedgerVerification } from '../../shared/domain';
import type { Db } from '../store/database';
import { GENESIS_HASH, type LedgerView } from './ledger';
import { LedgerRepository } from './repository';
import { type StretchResult, type StretchTask, checkStretch } from './stretch';

/** Below this many entries one thread verifies faster than starting others (a million take about 2.5 s of CPU). */
export const PARALLEL_MIN = 100_000;
const MAX_THREADS = 4;

/** This module's own URL, or undefined when bundled to CommonJS (the Electron main process): then one thread verifies. */
const here: string | undefined = (() => {
  try {
    return typeof import.meta.url === 'string' ? import.meta.url : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * The worker's script: `ledger-verify-worker.js` beside this module in the built CLI (dist/cli/ is flat). From the
 * TypeScript sources there is none (a worker would need a TypeScript loader of its own), and one thread verifies.
 */
function workerScript(): URL | null {
  if (!here || here.endsWith('.ts')) return null;
  const url = new URL('./ledger-verify-worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

function runWorker(script: URL, task: StretchTask): Promise<StretchResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: task });
    w.once('message', (r: StretchResult) => resolve(r));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`ledger verify worker exited with ${code}`)));
  });
}

/**
 * Verifies a long chain on several cores: the chain is cut into stretches by entry number, each checked on the fast
 * path by its own thread (this one takes the first), and the stretches must join: each begins with a link to the last
 * hash of the one before, the first to the genesis hash, the last ends at the recorded head, and nothing lies beyond it.
 * Anything else (a broken entry, a worker that failed) is settled by `ledger.verify`, which names the first broken
 * entry exactly as it always has; so the verdict is always that of the entry-by-entry check.
 */
export async function verifyChainInParallel(db: Db, ledger: LedgerView, scope: string): Promise<LedgerVerification> {
  const head = ledger.head(scope);
  const script = workerScript();
  const n = head?.seq ?? 0;
  const threads = Math.min(availableParallelism(), MAX_THREADS);
  if (!head || !script || n < PARALLEL_MIN || threads < 2 || db.memory) return ledger.verify(scope);
  const rows = new LedgerRepository(db);
  if (rows.lastSeq(scope) !== n) return ledger.verify(scope);

  const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.round((n * i) / threads));
  const task = (i: number): StretchTask => ({ file: db.name, scope, afterSeq: bounds[i] as number, lastSeq: bounds[i + 1] as number });
  const others = Array.from({ length: threads - 1 }, (_, k) => runWorker(script, task(k + 1)));
  // Settled promises only from here on: a failed worker means "not sound", never an unhandled rejection.
  const settled = others.map((p) => p.catch((): StretchResult => ({ sound: false })));
  const first = checkStretch(rows.stored(scope, 0, bounds[1] as number), 0, bounds[1] as number);
  const results = [first, ...(await Promise.all(settled))];

  let prev = GENESIS_HASH;
  for (const r of results) {
    if (!r.sound || r.firstPrevHash !== prev) return ledger.verify(scope);
    prev = r.lastHash;
  }
  if (prev !== head.hash) return ledger.verify(scope);
  return { scope, ok: true, entries: n, headHash: head.hash };
}
