import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreContext } from '../context';
import { type Actor, SYSTEM_SCOPE } from '../ledger/ledger';
import { withWriteLock } from '../store/transactions';
import { CUSTODY_ACTIONS, recordCustody } from './custody';
import { evidenceRepository } from './repository';
import { SHA256_NAME, isAlive, isOurLiveTemp, objectsDir, tempOwner } from './store';

export interface RecoveryReport {
  /** Temporary files of intakes that never finished (the process died). */
  removedPartial: number;
  /**
   * Complete files no item records: usually a crash between rename and commit, but also what a restored, older database
   * does not know yet. They are moved to evidence/quarantine/, never deleted.
   */
  removedUnrecorded: string[];
  /** Items whose stored copy is gone, now flagged missing. */
  flaggedMissing: string[];
}

/** Start-up work is machine work on nobody's behalf; it is recorded as such. */
export const STARTUP_ACTOR: Actor = { name: 'Firebreak start-up check', role: 'system', initiator: 'automated' };

function listStore(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * Restores the store's invariants after a crash: no partial file, no file without its item, and no item whose file is
 * gone without being flagged. A first look runs without locks; only when it finds something is the check repeated under
 * the database write lock (which every intake holds while it renames its file into place), so a file that a live
 * process is committing right now is never taken for an orphan.
 */
export function recoverStore(ctx: CoreContext): RecoveryReport {
  const report: RecoveryReport = { removedPartial: 0, removedUnrecorded: [], flaggedMissing: [] };
  const dir = objectsDir(ctx.dataDir);
  const repo = evidenceRepository(ctx.db);
  const first = listStore(dir);
  for (const name of first) {
    const pid = tempOwner(name);
    if (pid === null) continue;
    if (pid === process.pid ? isOurLiveTemp(join(dir, name)) : isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    report.removedPartial += 1;
  }
  const suspicious = (names: readonly string[], known: Set<string>) => {
    const present = new Set(names.filter((n) => SHA256_NAME.test(n)));
    return {
      unrecorded: [...present].filter((n) => !known.has(n)),
      missing: [...known].filter((h) => !present.has(h)),
    };
  };
  const quick = suspicious(first, repo.blobHashes());
  const needsLock = quick.unrecorded.length > 0 || quick.missing.some((h) => repo.itemsOfBlob(h).some((i) => i.status !== 'missing'));
  if (needsLock) {
    withWriteLock(ctx.db, () => {
      const now = suspicious(existsSync(dir) ? listStore(dir) : [], repo.blobHashes());
      const quarantine = join(dir, '..', 'quarantine');
      if (now.unrecorded.length) {
        const entry = {
          scope: SYSTEM_SCOPE,
          action: 'evidence.quarantined',
          subject: 'evidence store',
          payload: { quarantined: now.unrecorded, folder: quarantine, reason: 'stored content that no evidence item records' },
        };
        ctx.change(STARTUP_ACTOR, entry, () => {
          for (const sha of now.unrecorded) {
            mkdirSync(quarantine, { recursive: true });
            renameSync(join(dir, sha), join(quarantine, sha));
            report.removedUnrecorded.push(sha);
          }
        });
      }
      for (const sha of now.missing) {
        for (const item of repo.itemsOfBlob(sha)) {
          if (item.status === 'missing') continue;
          const payload = { item: item.id, sha256: sha, status: 'missing' };
          recordCustody(ctx, STARTUP_ACTOR, { id: item.id, incidentId: item.incident_id }, 'verification', CUSTODY_ACTIONS.missing, payload, () =>
            repo.setStatus(item.id, 'missing', null),
          );
          report.flaggedMissing.push(item.id);
        }
      }
    });
  }
  if (report.removedPartial > 0) {
    // The change itself was made on disk (partial files removed); the entry says so.
    const entry = { scope: SYSTEM_SCOPE, action: 'evidence.store-recovered', subject: 'evidence store', payload: { removedPartial: report.removedPartial } };
    ctx.change(STARTUP_ACTOR, entry, () => undefined);
  }
  return report;
}
