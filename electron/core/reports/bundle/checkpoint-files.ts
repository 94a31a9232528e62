/**
 * The ledger checkpoints a case bundle carries, and the stock-tool checks VERIFY.txt prints for them. Each checkpoint
 * is its signed bytes (checkpoints/CP-….txt), the operator's SSH signature over them (.txt.sig, checked by
 * `ssh-keygen -Y verify -n firebreak-checkpoint` against checkpoints/allowed_signers) and, when the organisation's TSA
 * answered, its RFC 3161 token (.txt.tsr, checked by `openssl ts -verify`), with the TSA's CA when it was configured.
 */
import { CHECKPOINT_NAMESPACE, type Checkpoint } from '../../../shared/checkpoints';
import type { Operator } from '../../../shared/domain';
import { signerPrincipal } from '../../trust/allowed-signers';
import { parseSshPublicKey } from '../../trust/ssh-public-key';

export const CHECKPOINT_SIGNERS_FILE = 'checkpoints/allowed_signers';
export const TSA_CA_FILE = 'checkpoints/tsa-ca.pem';
export const checkpointFiles = (id: string) => ({ body: `checkpoints/${id}.txt`, signature: `checkpoints/${id}.txt.sig`, token: `checkpoints/${id}.txt.tsr` });
/** The files verify reads whole. */
export const CHECKPOINT_FILE = /^checkpoints\/(CP-\d+\.txt(\.sig|\.tsr)?|allowed_signers|tsa-ca\.pem)$/;

export interface BundleCheckpoint {
  id: string;
  reason: string;
  madeAt: string;
  madeBy: Operator;
  /** The checkpoint's own entry in the bundle's ledger. */
  ledgerSeq: number;
  /** What its bytes pin (verify reads them from the bytes, not from here). */
  pinned: { seq: number; head: string | null };
  system: { seq: number; head: string | null };
  body: string;
  /** Absent for an unsigned checkpoint (the operator had no key), with the reason. */
  signature?: string;
  principal?: string;
  fingerprint?: string;
  unsignedReason?: string;
  /** Absent when not time-stamped; timeStampProblem says why when a TSA was set. */
  token?: string;
  genTime?: string;
  timeStampProblem?: string;
}

export interface CheckpointBundleFiles {
  entries: BundleCheckpoint[];
  /** [path, bytes] to add to the bundle. */
  files: Array<[string, Buffer]>;
  /** Present when a checkpoint is time-stamped and the TSA's CA is configured. */
  tsaCa: string | null;
}

const principalOf = (c: Checkpoint) => signerPrincipal(c.madeBy.name, c.madeBy.role);

/** The bundle's files of these checkpoints: bytes, signatures, tokens, the signers' keys and the TSA's CA. */
export function checkpointBundleFiles(checkpoints: readonly Checkpoint[], tsaCaPem: string | null): CheckpointBundleFiles {
  const files: Array<[string, Buffer]> = [];
  const signers = new Map<string, string>();
  const entries = checkpoints.map((c): BundleCheckpoint => {
    const p = checkpointFiles(c.id);
    files.push([p.body, Buffer.from(c.body, 'utf8')]);
    const e: BundleCheckpoint = {
      id: c.id,
      reason: c.reason,
      madeAt: c.madeAt,
      madeBy: c.madeBy,
      ledgerSeq: c.ledgerSeq,
      pinned: { seq: c.incident.seq, head: c.incident.head },
      system: { seq: c.system.seq, head: c.system.head },
      body: p.body,
    };
    if (c.signature) {
      files.push([p.signature, Buffer.from(c.signature.armored, 'utf8')]);
      const key = parseSshPublicKey(c.signature.publicKey, `the key of ${c.id}`);
      signers.set(`${principalOf(c)} ${key.type} ${key.blob.toString('base64')}`, principalOf(c));
      Object.assign(e, { signature: p.signature, principal: principalOf(c), fingerprint: c.signature.fingerprint });
    } else if (c.unsignedReason) e.unsignedReason = c.unsignedReason;
    if (c.timeStamp) {
      files.push([p.token, Buffer.from(c.timeStamp.tokenBase64, 'base64')]);
      Object.assign(e, { token: p.token, genTime: c.timeStamp.genTime });
    } else if (c.timeStampProblem) e.timeStampProblem = c.timeStampProblem;
    return e;
  });
  if (signers.size) {
    // One line per key, bound to the checkpoint namespace only: such a key cannot pass for a sign-off.
    const lines = [...signers.keys()].map((l) => {
      const [principal, ...key] = l.split(' ');
      return `${principal} namespaces="${CHECKPOINT_NAMESPACE}" ${key.join(' ')}\n`;
    });
    files.push([CHECKPOINT_SIGNERS_FILE, Buffer.from(lines.join(''), 'utf8')]);
  }
  const stamped = entries.some((e) => e.token);
  if (stamped && tsaCaPem) files.push([TSA_CA_FILE, Buffer.from(tsaCaPem.endsWith('\n') ? tsaCaPem : `${tsaCaPem}\n`, 'utf8')]);
  return { entries, files, tsaCa: stamped && tsaCaPem ? TSA_CA_FILE : null };
}

export interface ReviewerCheckLine {
  title: string;
  command: string;
  expect: string;
}

/** VERIFY.txt's checks of each checkpoint: its SSH signature, the entry it pins, its time-stamp token. */
export function checkpointReviewerChecks(entries: readonly BundleCheckpoint[], tsaCa: string | null, ledgerFile: string): ReviewerCheckLine[] {
  const checks: ReviewerCheckLine[] = [];
  for (const c of entries) {
    if (c.signature && c.principal) {
      checks.push({
        title: `${c.id}: the ledger checkpoint made when "${c.reason}" is signed by ${c.madeBy.name} (${c.madeBy.role}) with their own key (compare the fingerprint with theirs)`,
        command: `ssh-keygen -Y verify -f ${CHECKPOINT_SIGNERS_FILE} -I ${c.principal} -n ${CHECKPOINT_NAMESPACE} -s ${c.signature} < ${c.body}`,
        expect: `Good "${CHECKPOINT_NAMESPACE}" signature for ${c.principal} with ED25519 key ${c.fingerprint ?? ''}`,
      });
    } else {
      checks.push({ title: `${c.id}: this checkpoint is NOT signed (${c.unsignedReason ?? 'no key'}): it pins nothing a rewrite could not redo`, command: `cat ${c.body}`, expect: 'the entry and hash it names' });
    }
    if (c.pinned.seq > 0) {
      checks.push({
        title: `${c.id}: the ledger entry it pins ("Ledger of" in ${c.body}) is in this ledger, unchanged`,
        command: `sed -n '${c.pinned.seq}p' ${ledgerFile} | grep -o '"hash":"[0-9a-f]*"' | head -1`,
        expect: `"hash":"${c.pinned.head ?? ''}"`,
      });
    }
    if (c.token) {
      checks.push({
        title: `${c.id}: the time-stamping authority's token (${c.genTime ?? ''}) stamps these very bytes${tsaCa ? '' : "; get the TSA's CA certificate from your organisation and name it with -CAfile"}`,
        command: `openssl ts -verify -data ${c.body} -in ${c.token} -token_in -CAfile ${tsaCa ?? 'TSA-CA.pem'}`,
        expect: 'Verification: OK',
      });
    }
  }
  return checks;
}
