/**
 * `audit verify` of an incident's checkpoints: each must still match the chain it pinned (the entry at the pinned seq
 * has the pinned hash, in the incident's chain and the system's), carry a valid SSHSIG by a key this installation
 * recorded (`keys init`) or enrolled, be recorded by its own ledger entry, and hold a time-stamp token over its bytes.
 */
import { CHECKPOINT_NAMESPACE, type ChainPin, type Checkpoint, type CheckpointCheck } from '../../shared/checkpoints';
import type { CoreContext } from '../context';
import { sha256Hex } from '../kernel/signature';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { SignerRepository } from '../signers/repository';
import { parseSshPublicKey } from '../trust/ssh-public-key';
import { verifySshsig } from '../trust/sshsig';
import { readTimeStampToken } from '../trust/timestamp';
import { parseCheckpointBody } from './checkpoint';
import { CheckpointRepository } from './repository';

/** The fingerprints of keys this installation made (keys.created) or enrolled: the keys a checkpoint may be signed with. */
function knownKeys(ctx: CoreContext): Set<string> {
  const known = new Set(new SignerRepository(ctx.db).all().map((s) => s.fingerprint));
  for (const e of ctx.ledger.iterate(SYSTEM_SCOPE)) {
    const fp = (e.payload as { fingerprint?: unknown } | null)?.fingerprint;
    if (e.action === 'keys.created' && typeof fp === 'string') known.add(fp);
  }
  return known;
}

/** The first reason the checkpoint does not hold, or null. */
function problemOf(ctx: CoreContext, c: Checkpoint, known: ReadonlySet<string>): string | null {
  if (sha256Hex(c.body) !== c.bodySha256) return 'its bytes were changed after it was made';
  let body: ReturnType<typeof parseCheckpointBody>;
  try {
    body = parseCheckpointBody(c.body, c.id);
  } catch (e) {
    return (e as Error).message;
  }
  if (body.id !== c.id || body.incidentId !== c.incidentId) return `its bytes name ${body.id} of ${body.incidentId}`;
  const [entry] = ctx.ledger.entriesAt(c.incidentId, [c.ledgerSeq]);
  const recorded = entry?.payload as { bodySha256?: unknown } | undefined;
  if (!entry || entry.subject !== c.id || !entry.action.startsWith('checkpoint.') || recorded?.bodySha256 !== c.bodySha256) {
    return `its ledger entry ${c.ledgerSeq} does not record it`;
  }
  for (const pin of [body.incident, body.system]) {
    const problem = pinProblem(ctx, pin);
    if (problem) return problem;
  }
  if (c.signature) {
    let check: ReturnType<typeof verifySshsig>;
    try {
      check = verifySshsig(c.signature.armored, c.body, { namespace: CHECKPOINT_NAMESPACE, key: parseSshPublicKey(c.signature.publicKey, `the key of ${c.id}`) });
    } catch (e) {
      return `its signature cannot be read: ${(e as Error).message}`;
    }
    if (!check.valid) return `its signature does not hold: ${check.reason}`;
    if (!known.has(check.fingerprint)) return `it is signed by the key ${check.fingerprint}, which this installation neither made (keys init) nor enrolled`;
  }
  if (c.timeStamp) {
    try {
      const tst = readTimeStampToken(Buffer.from(c.timeStamp.tokenBase64, 'base64'), `the time-stamp token of ${c.id}`);
      if (tst.digest.toString('hex') !== c.bodySha256) return `its time-stamp token stamps other bytes (${tst.digest.toString('hex')})`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return null;
}

function pinProblem(ctx: CoreContext, pin: ChainPin): string | null {
  if (pin.seq === 0) return null;
  const [at] = ctx.ledger.entriesAt(pin.scope, [pin.seq]);
  if (!at) return `the ${pin.scope} ledger has no entry ${pin.seq}, which it pinned`;
  if (at.hash !== pin.head) return `the ${pin.scope} ledger at entry ${pin.seq} is not the one it pinned (hash ${at.hash}, pinned ${pin.head ?? 'none'}): the history before it was rewritten`;
  return null;
}

export function verifyCheckpoints(ctx: CoreContext, incidentId: string): CheckpointCheck[] {
  const known = knownKeys(ctx);
  return new CheckpointRepository(ctx.db).ofIncident(incidentId).map((c) => {
    const problem = problemOf(ctx, c, known);
    return { id: c.id, ok: problem === null, signed: c.signature !== null, timeStamped: c.timeStamp !== null, problem };
  });
}
