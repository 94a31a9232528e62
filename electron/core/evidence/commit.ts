import { existsSync, renameSync, rmSync } from 'node:fs';
import type { EvidenceItem, EvidenceSourceKind } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { withWriteLock } from '../store/transactions';
import type { Digest } from './copy-hash';
import { CUSTODY_ACTIONS, recordCustody } from './custody';
import type { KeptName } from './names';
import { evidenceRepository, itemId, toItem } from './repository';
import { discardTemp, fsyncDir, objectPath, objectsDir, releaseTemp } from './store';

/** Content hashed and written to a temporary file in the store, waiting for its commit. */
export interface PreparedContent {
  tempPath: string;
  digest: Digest;
}

export interface ItemMeta {
  incidentId: string;
  name: KeptName;
  sourceKind: EvidenceSourceKind;
  description: string | null;
  originalPath: KeptName | null;
  modifiedAt: string | null;
  linkedSteps: string[];
}

const b64 = (b: Buffer | undefined) => (b ? b.toString('base64') : undefined);

/**
 * Records a batch of intakes in one immediate transaction. The write lock is taken before any temporary file is renamed
 * into place, and start-up cleanup holds the same lock while it looks for stored files without items, so it can never
 * see (and delete) a file that a live process is about to commit. Renames are made durable (directory fsync) before the
 * commit: an item in the database always has its file. If the transaction fails, files placed by it are removed again.
 */
export function commitIntakes(
  ctx: CoreContext,
  actor: Actor,
  entries: ReadonlyArray<{ prepared: PreparedContent; meta: ItemMeta }>,
): EvidenceItem[] {
  const repo = evidenceRepository(ctx.db);
  const incidents = new IncidentRepository(ctx.db);
  const placed: string[] = [];
  const consumed = new Set<string>();
  try {
    const ids = withWriteLock(ctx.db, () => {
      const out: string[] = [];
      const storedAt = ctx.now().toISOString();
      for (const { prepared, meta } of entries) {
        const { digest } = prepared;
        if (!incidents.exists(meta.incidentId)) throw notFound(`There is no incident ${meta.incidentId}.`);
        const blob = repo.blob(digest.sha256);
        const final = objectPath(ctx.dataDir, digest.sha256);
        // New content, or content whose stored copy went missing and is given back by this intake.
        if (!blob || !existsSync(final)) {
          renameSync(prepared.tempPath, final);
          releaseTemp(prepared.tempPath);
          consumed.add(prepared.tempPath);
          placed.push(final);
        }
        if (!blob) repo.insertBlob(digest, storedAt);
        else if (digest.sha1 && digest.md5 && (!blob.sha1 || !blob.md5)) {
          repo.fillLegacyHashes(digest.sha256, digest.sha1, digest.md5);
        }
        out.push(recordItem(ctx, actor, digest, meta));
      }
      if (placed.length) fsyncDir(objectsDir(ctx.dataDir));
      return out;
    });
    placed.length = 0;
    return ids.map((id) => toItem(repo.itemRow(id) as NonNullable<ReturnType<typeof repo.itemRow>>, repo.linksOf(id)));
  } finally {
    for (const f of placed) rmSync(f, { force: true });
    for (const { prepared } of entries) if (!consumed.has(prepared.tempPath)) discardTemp(prepared.tempPath);
  }
}

/** The item for this content in this incident: a new one, or the existing one with one more acquisition. */
function recordItem(ctx: CoreContext, actor: Actor, digest: Digest, meta: ItemMeta): string {
  const repo = evidenceRepository(ctx.db);
  const existing = repo.itemByHash(meta.incidentId, digest.sha256);
  const acquisition = {
    name: meta.name.text,
    nameBytes: b64(meta.name.bytes),
    originalPath: meta.originalPath?.text ?? null,
    originalPathBytes: b64(meta.originalPath?.bytes),
    sha256: digest.sha256,
    sha1: digest.sha1,
    md5: digest.md5,
    size: digest.size,
    sourceKind: meta.sourceKind,
    modifiedAt: meta.modifiedAt,
    description: meta.description,
  };
  if (existing) {
    // Runs under the write lock of commitIntakes: the links read here are the links the change adds.
    const linked = new Set(repo.linksOf(existing.id));
    const newLinks = [...new Set(meta.linkedSteps)].filter((s) => !linked.has(s));
    const payload = { item: existing.id, ...acquisition, linkedSteps: newLinks };
    recordCustody(ctx, actor, { id: existing.id, incidentId: meta.incidentId }, 'acquisition', CUSTODY_ACTIONS.reacquired, payload, () => {
      for (const s of newLinks) repo.link(existing.id, s);
      repo.bumpAcquisitions(existing.id);
    });
    return existing.id;
  }
  const num = repo.nextNum();
  const id = itemId(num);
  const entry = {
    scope: meta.incidentId,
    action: CUSTODY_ACTIONS.acquired,
    subject: id,
    payload: {
      item: id,
      ...acquisition,
      linkedSteps: meta.linkedSteps,
      // Only the redacted form and a fingerprint of a secret ever reach the ledger.
      findings: digest.findings,
    },
  };
  ctx.change(actor, entry, (recorded) => {
    repo.insertItem({
      id,
      num,
      incidentId: meta.incidentId,
      sha256: digest.sha256,
      name: meta.name.text,
      nameBytes: meta.name.bytes ?? null,
      originalPath: meta.originalPath?.text ?? null,
      originalPathBytes: meta.originalPath?.bytes ?? null,
      modifiedAt: meta.modifiedAt,
      sourceKind: meta.sourceKind,
      description: meta.description,
      acquiredAt: recorded.at,
      actor,
    });
    repo.addCustody(id, meta.incidentId, recorded.seq, 'acquisition');
    for (const s of meta.linkedSteps) repo.link(id, s);
  });
  return id;
}
