import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { EvidenceStatus } from '../../shared/evidence';
import type { SignOffStatus } from '../../shared/signoff';
import type { CoreContext } from '../context';
import { objectPath } from '../evidence/store';
import { verifyEvidence } from '../evidence/verify';
import type { Actor } from '../ledger/ledger';

async function storedStatus(path: string, sha256: string): Promise<EvidenceStatus> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch {
    return 'missing';
  }
  return hash.digest('hex') === sha256 ? 'intact' : 'modified';
}

/**
 * Only evidence whose stored copy hashes as recorded, now, backs an attestation. Re-hashes the evidence behind the
 * step's attestations; when a copy's state differs from its recorded status, the incident's evidence is verified and
 * the outcome recorded (which the gate then reads). When every copy is as recorded, nothing is written: a sign-off
 * for one role must not make another role's pending request out of date.
 */
export async function recheckAttestationEvidence(ctx: CoreContext, actor: Actor, status: SignOffStatus): Promise<boolean> {
  const items = new Map(status.attestations.flatMap((a) => a.evidence).map((e) => [e.id, e]));
  for (const e of items.values()) {
    if ((await storedStatus(objectPath(ctx.dataDir, e.sha256), e.sha256)) !== e.status) {
      await verifyEvidence(ctx, actor, status.incidentId);
      return true;
    }
  }
  return false;
}
