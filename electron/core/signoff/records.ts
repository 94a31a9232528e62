import type { SignOffRecord, SignOffSigner } from '../../shared/signoff';
import type { CoreContext } from '../context';
import { SignerRepository } from '../signers/repository';
import { SignOffRepository } from './repository';

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
