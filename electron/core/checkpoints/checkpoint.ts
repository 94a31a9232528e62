/**
 * Ledger checkpoints. The operator's own key (made by `keys init`) signs, in SSHSIG under the namespace
 * firebreak-checkpoint, a short text naming the incident chain's and the system chain's newest entry and hash. A ledger
 * rewritten whole, every hash recomputed and the heads updated, still chains; it no longer matches what was signed.
 * When the organisation configured a TSA, the same bytes are time-stamped (RFC 3161) and the token kept.
 *
 * Signing and stamping happen outside any transaction (the TSA is a network call); the checkpoint and its own ledger
 * entry are then written together. A TSA that does not answer, or an operator without a key, leaves a checkpoint that
 * says what it lacks, never a lost phase close.
 */
import { CHECKPOINT_NAMESPACE, type ChainPin, type Checkpoint, type CheckpointOutcome } from '../../shared/checkpoints';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { sha256Hex } from '../kernel/signature';
import { type Actor, SYSTEM_SCOPE } from '../ledger/ledger';
import type { SignerKeyStore } from '../signers/key-store';
import { formatSshPublicKey } from '../trust/ssh-public-key';
import { signSshsig } from '../trust/sshsig';
import { requestTimeStamp } from '../trust/timestamp';
import { orgSettings } from './org-settings';
import { CheckpointRepository } from './repository';

const TITLE = 'Firebreak ledger checkpoint';
const TSA_TIMEOUT_MS = 15_000;

export interface CheckpointFacts {
  id: string;
  incidentId: string;
  reason: string;
  madeAt: string;
  madeBy: { name: string; role: string };
  incident: ChainPin;
  system: ChainPin;
}

const pinLine = (p: ChainPin) => `Ledger of ${p.scope}: entry ${p.seq}, hash ${p.head ?? 'none'}`;

/** The exact bytes a checkpoint signs: one fact a line, so a reviewer reads what was signed. */
export function checkpointBody(f: CheckpointFacts): string {
  return [
    TITLE,
    `Checkpoint: ${f.id}`,
    `Incident: ${f.incidentId}`,
    `Why: ${f.reason}`,
    `Made: ${f.madeAt} by ${f.madeBy.name} (${f.madeBy.role})`,
    pinLine(f.incident),
    pinLine(f.system),
    '',
  ].join('\n');
}

/** Reads what a checkpoint's bytes pin, for verify (which trusts the signed bytes, never an index that repeats them). */
export function parseCheckpointBody(text: string, where: string): { id: string; incidentId: string; incident: ChainPin; system: ChainPin } {
  const lines = text.split('\n');
  if (lines[0] !== TITLE) throw badInput(`${where} is not a Firebreak ledger checkpoint (its first line is not "${TITLE}").`);
  const field = (name: string) => {
    const l = lines.find((x) => x.startsWith(`${name}: `));
    if (!l) throw badInput(`${where} has no "${name}:" line.`);
    return l.slice(name.length + 2);
  };
  const pins = lines
    .map((l) => /^Ledger of (\S+): entry (\d+), hash ([0-9a-f]{64}|none)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ scope: m[1] as string, seq: Number(m[2]), head: m[3] === 'none' ? null : (m[3] as string) }));
  const incidentId = field('Incident');
  const incident = pins.find((p) => p.scope === incidentId);
  const system = pins.find((p) => p.scope === SYSTEM_SCOPE);
  if (!incident || !system || pins.length !== 2) throw badInput(`${where} does not pin exactly the ledgers of ${incidentId} and ${SYSTEM_SCOPE}.`);
  return { id: field('Checkpoint'), incidentId, incident, system };
}

const pinOf = (ctx: CoreContext, scope: string): ChainPin => {
  const h = ctx.ledger.head(scope);
  return { scope, seq: h?.seq ?? 0, head: h?.hash ?? null };
};

/** One checkpoint at a time per database: its id is in the signed bytes, so it is taken before the TSA is awaited. */
const queues = new WeakMap<object, Promise<unknown>>();

/**
 * Signs (and, with a TSA set, time-stamps) a checkpoint of the incident's and the system's chains as they stand now,
 * and records it with its ledger entry. Never throws for a missing key or a silent TSA: the outcome's notes say so.
 */
export function makeCheckpoint(ctx: CoreContext, keys: SignerKeyStore, actor: Actor, incidentId: string, reason: string): Promise<CheckpointOutcome> {
  const before = queues.get(ctx.db) ?? Promise.resolve();
  const next = before.then(
    () => checkpointNow(ctx, keys, actor, incidentId, reason),
    () => checkpointNow(ctx, keys, actor, incidentId, reason),
  );
  queues.set(ctx.db, next);
  return next;
}

async function checkpointNow(ctx: CoreContext, keys: SignerKeyStore, actor: Actor, incidentId: string, reason: string): Promise<CheckpointOutcome> {
  const repo = new CheckpointRepository(ctx.db);
  const notes: string[] = [];
  const facts: CheckpointFacts = {
    id: repo.nextId(),
    incidentId,
    reason,
    madeAt: ctx.now().toISOString(),
    madeBy: { name: actor.name, role: actor.role },
    incident: pinOf(ctx, incidentId),
    system: pinOf(ctx, SYSTEM_SCOPE),
  };
  const body = checkpointBody(facts);
  const key = keys.get({ name: actor.name, role: actor.role });
  let signature: Checkpoint['signature'] = null;
  let unsignedReason: string | null = null;
  if (key) {
    signature = { armored: signSshsig(body, key.signer, CHECKPOINT_NAMESPACE), publicKey: formatSshPublicKey(key.sshPublicKey, key.principal), fingerprint: key.sshPublicKey.fingerprint };
  } else {
    unsignedReason = `${actor.name} (${actor.role}) has no key of their own here; run firebreak keys init --name "${actor.name}" --role "${actor.role}" so later checkpoints are signed`;
    notes.push(`The checkpoint is not signed: ${unsignedReason}.`);
  }
  const { 'tsa-url': tsaUrl } = orgSettings(ctx.db);
  let timeStamp: Checkpoint['timeStamp'] = null;
  let timeStampProblem: string | null = null;
  if (tsaUrl) {
    try {
      const t = await requestTimeStamp(tsaUrl, body, { timeoutMs: TSA_TIMEOUT_MS });
      timeStamp = { tsaUrl, genTime: t.genTime, tokenBase64: t.token.toString('base64') };
    } catch (e) {
      timeStampProblem = (e as Error).message;
      notes.push(`The checkpoint is not time-stamped: ${timeStampProblem}`);
    }
  }
  const bodySha256 = sha256Hex(body);
  // Another change may have been appended meanwhile; the checkpoint still pins what it signed.
  const entry = {
    scope: incidentId,
    action: signature ? 'checkpoint.signed' : 'checkpoint.unsigned',
    subject: facts.id,
    payload: {
      reason,
      incident: { seq: facts.incident.seq, head: facts.incident.head },
      system: { seq: facts.system.seq, head: facts.system.head },
      bodySha256,
      ...(signature ? { fingerprint: signature.fingerprint, signatureSha256: sha256Hex(signature.armored) } : { unsignedReason }),
      ...(timeStamp ? { timeStamp: { tsaUrl: timeStamp.tsaUrl, genTime: timeStamp.genTime, tokenSha256: sha256Hex(Buffer.from(timeStamp.tokenBase64, 'base64')) } } : {}),
      ...(timeStampProblem ? { timeStampProblem, tsaUrl } : {}),
    },
  };
  const checkpoint = ctx.change(actor, entry, (recorded) => {
    const c: Checkpoint = { ...facts, body, bodySha256, signature, unsignedReason, timeStamp, timeStampProblem, ledgerSeq: recorded.seq };
    repo.insert(c);
    return c;
  });
  return { checkpoint, notes };
}

/**
 * The checkpoint after a phase close. The close is already committed: whatever goes wrong here (a key file that cannot
 * be opened) is said in the result, and the close stands.
 */
export async function checkpointAfterClose(
  ctx: CoreContext,
  keys: SignerKeyStore,
  actor: Actor,
  incidentId: string,
  phaseId: string,
): Promise<{ checkpoint: CheckpointOutcome | null; checkpointProblem: string | null }> {
  try {
    return { checkpoint: await makeCheckpoint(ctx, keys, actor, incidentId, `phase ${phaseId} closed`), checkpointProblem: null };
  } catch (e) {
    return { checkpoint: null, checkpointProblem: `The phase is closed, but no checkpoint was made: ${(e as Error).message}` };
  }
}
