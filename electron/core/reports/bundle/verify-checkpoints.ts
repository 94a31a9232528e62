/**
 * The ledger checkpoints of a case bundle, checked as a reviewer would with ssh-keygen and openssl: each checkpoint's
 * bytes pin an entry of this ledger with its hash (read from the signed bytes, never from bundle.json), its SSH
 * signature holds with the key checkpoints/allowed_signers gives its principal (and the ledger entry recorded), and its
 * time-stamp token stamps those bytes. Every checkpoint the ledger records must be in the bundle.
 */
import { CHECKPOINT_NAMESPACE } from '../../../shared/checkpoints';
import { parseCheckpointBody } from '../../checkpoints/checkpoint';
import { sha256Hex } from '../../kernel/signature';
import { type AllowedSigner, parseAllowedSigners } from '../../trust/allowed-signers';
import { verifySshsig } from '../../trust/sshsig';
import { readTimeStampToken } from '../../trust/timestamp';
import { CHECKPOINT_SIGNERS_FILE, checkpointFiles } from './checkpoint-files';
import type { BundleIndex } from './layout';
import { type LoadedFile, type Outcome, outcome, plural } from './verify-checks';
import type { LedgerFacts } from './verify-ledger';

/** The ledger entry a checkpoint's bytes pin, or 0 when they name none readable (the check says why). */
export function checkpointPinnedSeq(bytes: Buffer | undefined): number {
  try {
    return bytes ? parseCheckpointBody(bytes.toString('utf8'), 'checkpoint').incident.seq : 0;
  } catch {
    return 0;
  }
}

export function checkCheckpoints(index: BundleIndex, files: ReadonlyMap<string, LoadedFile>, ledger: LedgerFacts | null): Outcome {
  const problems: string[] = [];
  const listed = index.checkpoints ?? [];
  const ledgerOk = Boolean(ledger && !ledger.broken);
  let signers: AllowedSigner[] = [];
  const signersBytes = files.get(CHECKPOINT_SIGNERS_FILE)?.bytes;
  if (signersBytes) {
    try {
      signers = parseAllowedSigners(signersBytes.toString('utf8'), CHECKPOINT_SIGNERS_FILE);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  let signed = 0;
  let stamped = 0;
  for (const c of listed) {
    const p = checkpointFiles(c.id);
    const body = files.get(p.body)?.bytes;
    const who = `checkpoint ${c.id} (signed by ${c.madeBy?.name ?? 'no one'})`;
    if (!body) {
      problems.push(`${p.body}: missing (${who})`);
      continue;
    }
    let pins: ReturnType<typeof parseCheckpointBody>;
    try {
      pins = parseCheckpointBody(body.toString('utf8'), p.body);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    if (pins.id !== c.id || pins.incidentId !== index.incident.id) problems.push(`${p.body}: names ${pins.id} of ${pins.incidentId}, not ${c.id} of ${index.incident.id}`);
    const recorded = ledger?.checkpoints.find((x) => x.id === c.id);
    if (ledgerOk && (!recorded || recorded.bodySha256 !== sha256Hex(body))) problems.push(`${p.body}: the ledger does not record ${c.id} with these bytes`);
    if (ledgerOk && pins.incident.seq > 0 && ledger?.hashAt.get(pins.incident.seq) !== pins.incident.head) {
      problems.push(`${p.body}: the ledger entry ${pins.incident.seq} it pinned is not in the bundle's ledger with hash ${pins.incident.head ?? ''} (the history before ${who} was rewritten)`);
    }
    const sig = files.get(p.signature)?.bytes;
    if (sig) {
      const lines = signers.filter((s) => c.principal && s.principals.includes(c.principal) && (s.namespaces?.includes(CHECKPOINT_NAMESPACE) ?? true));
      const check = lines.map((l) => {
        try {
          return verifySshsig(sig.toString('utf8'), body, { namespace: CHECKPOINT_NAMESPACE, key: l.key });
        } catch (e) {
          return { valid: false as const, fingerprint: '', reason: (e as Error).message };
        }
      });
      const good = check.find((x) => x.valid);
      if (!good) problems.push(`${p.signature}: does not verify over ${p.body} with the key ${CHECKPOINT_SIGNERS_FILE} gives ${c.principal ?? '(no principal)'}${check[0] && !check[0].valid ? ` (${check[0].reason})` : ''}`);
      else if (recorded && recorded.fingerprint !== good.fingerprint) problems.push(`${p.signature}: made by the key ${good.fingerprint}, but the ledger records ${c.id} signed by ${recorded.fingerprint || 'no key'}`);
      else signed += 1;
    } else if (recorded?.signed || c.signature) problems.push(`${p.signature}: missing (${who})`);
    const token = files.get(p.token)?.bytes;
    if (token) {
      try {
        const tst = readTimeStampToken(token, p.token);
        if (tst.digest.toString('hex') !== sha256Hex(body)) problems.push(`${p.token}: stamps other bytes than ${p.body}`);
        else stamped += 1;
      } catch (e) {
        problems.push((e as Error).message);
      }
    } else if (c.token) problems.push(`${p.token}: missing (${who})`);
  }
  for (const r of ledger?.checkpoints ?? []) {
    if (!listed.some((c) => c.id === r.id)) problems.push(`ledger entry ${r.seq} records checkpoint ${r.id}, which is not in the bundle`);
  }
  const unsigned = listed.length - signed;
  return outcome(
    'checkpoint',
    problems,
    listed.length
      ? `${plural(listed.length, 'checkpoint')} ${listed.length === 1 ? 'pins' : 'pin'} entries of this ledger: ${signed} signed${unsigned ? `, ${unsigned} NOT signed` : ''}, ${stamped} time-stamped (the system ledger they also pin is not in the bundle)`
      : 'no checkpoints',
  );
}
