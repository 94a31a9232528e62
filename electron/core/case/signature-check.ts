import type { SignOffRecord } from '../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE } from '../../shared/signers';
import { verifySignature } from '../kernel/signature';
import { parseSshPublicKey } from '../trust/ssh-public-key';
import { verifySshsig } from '../trust/sshsig';

/** Whether a recorded signature holds over what it signed, with the key it names, whichever way it was made. */
export function signatureHolds(r: SignOffRecord): boolean {
  const signed = Buffer.from(r.statementJson, 'utf8');
  if (r.scheme !== 'sshsig') return verifySignature(signed, Buffer.from(r.signature, 'base64'), r.publicKeyPem);
  try {
    return verifySshsig(r.signature, signed, { namespace: SIGNOFF_SSH_NAMESPACE, key: parseSshPublicKey(r.publicKeyPem, r.id) }).valid;
  } catch {
    return false;
  }
}
