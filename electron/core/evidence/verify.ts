import { createHash } from 'node:crypto';
import { type Stats, close, fstat, open, read } from 'node:fs';
import type { EvidenceStatus, EvidenceVerification, ItemVerification } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { CHUNK, cancelled } from './copy-hash';
import { CUSTODY_ACTIONS, recordBatchCustody } from './custody';
import { evidenceRepository } from './repository';
import { objectPath } from './store';

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
}

interface Check {
  status: EvidenceStatus;
  actualSha256?: string;
  detail?: string;
}

const call = <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

/** Re-hashes one stored file, reading the next chunk while hashing the current one. */
async function checkStored(path: string, expected: string, o: VerifyOptions, advance: (n: number) => void): Promise<Check> {
  let fd: number;
  try {
    fd = await call<number>((cb) => open(path, 'r', cb));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { status: 'missing' } : { status: 'missing', detail: `cannot be read (${code ?? 'error'})` };
  }
  const bufs = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)];
  let pending: Promise<number> | null = null;
  try {
    const st = await call<Stats>((cb) => fstat(fd, cb));
    if (!st.isFile()) return { status: 'missing', detail: 'the stored copy is not a file any more' };
    const hash = createHash('sha256');
    let pos = 0;
    let slot = 0;
    pending = call<number>((cb) => read(fd, bufs[0] as Buffer, 0, CHUNK, 0, cb));
    for (;;) {
      const n: number = await pending;
      pending = null;
      if (n === 0) break;
      if (o.signal?.aborted) throw cancelled();
      const buf = bufs[slot] as Buffer;
      slot = 1 - slot;
      const at = pos + n;
      pending = call<number>((cb) => read(fd, bufs[slot] as Buffer, 0, CHUNK, at, cb));
      hash.update(buf.subarray(0, n));
      pos = at;
      advance(n);
    }
    const actual = hash.digest('hex');
    return actual === expected ? { status: 'intact' } : { status: 'modified', actualSha256: actual };
  } catch (e) {
    if ((e as { code?: string }).code === 'cancelled') throw e;
    return { status: 'missing', detail: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (pending) await pending.catch(() => 0);
    await new Promise<void>((done) => close(fd, () => done()));
  }
}

/**
 * Re-hashes every item of an incident (each distinct content once), records the outcome on each item and as one
 * custody event listing every item's result, and returns the `evidence verify --json` shape.
 */
export async function verifyEvidence(
  ctx: CoreContext,
  actor: Actor,
  incidentId: string,
  o: VerifyOptions = {},
): Promise<EvidenceVerification> {
  const repo = evidenceRepository(ctx.db);
  if (!new IncidentRepository(ctx.db).exists(incidentId)) throw notFound(`There is no incident ${incidentId}.`);
  const rows = repo.itemRows(incidentId);
  const distinct = new Map<string, number>();
  for (const r of rows) distinct.set(r.sha256, r.size);
  const total = [...distinct.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  const checks = new Map<string, Check>();
  for (const [sha256] of distinct) {
    if (o.signal?.aborted) throw cancelled();
    checks.set(
      sha256,
      await checkStored(objectPath(ctx.dataDir, sha256), sha256, o, (n) => {
        done += n;
        o.onProgress?.(done, total);
      }),
    );
  }
  const items: ItemVerification[] = rows.map((r) => {
    const c = checks.get(r.sha256) as Check;
    return { id: r.id, name: r.name, sha256: r.sha256, status: c.status, ...(c.actualSha256 ? { actualSha256: c.actualSha256 } : {}), ...(c.detail ? { detail: c.detail } : {}) };
  });
  const count = (s: EvidenceStatus) => items.filter((i) => i.status === s).length;
  const ok = items.every((i) => i.status === 'intact');
  const payload = {
    ok,
    intact: count('intact'),
    modified: count('modified'),
    missing: count('missing'),
    results: items.map((i) => ({
      item: i.id,
      sha256: i.sha256,
      status: i.status,
      ...(i.actualSha256 ? { actualSha256: i.actualSha256 } : {}),
      ...(i.detail ? { detail: i.detail } : {}),
    })),
  };
  const entry = recordBatchCustody(ctx, actor, incidentId, items.map((i) => i.id), 'verification', CUSTODY_ACTIONS.verified, payload, (e) => {
    for (const i of items) repo.setStatus(i.id, i.status, e.at);
  });
  return { ok, incidentId, verifiedAt: entry.at, items };
}
