import type { SignOffRecord, SignOffSigner } from '../../shared/signoff';
import type { CoreContext } from '../context';
import { SignerRepository } from '../signers/repository';
import { SIGNOFF_SSH_NAMESPACE } from '../../shared/signers';
import { parseSshPublicKey } from '../trust/ssh-public-key';
import { verifySshsig } from '../trust/sshsig';
import { SignOffRepository } from './repository';
import { verifySignature } from './signature';

/** The sign-offs table with each SSH-signed sign-off's enrolment filled in from the signers domain. */
export function signOffRepository(ctx: CoreContext): SignOffRepository {
  const signers = new SignerRepository(ctx.db);
  return new SignOffRepository(ctx.db, (id): SignOffSigner | null => {
    const s = signers.get(id);
    return s ? { enrolmentId: s.id, principal: s.principal, keyType: s.keyType, publicKey: s.publicKey, enrolledBy: s.enrolledBy, enrolledAt: s.enrolledAt } : null;
  });
}

/** Every sign-off of the incident, in signing order. */
export const signOffRecords = (ctx: CoreContext, incidentId: string): SignOffRecord[] => signOffRepository(ctx).records(incidentId);

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
