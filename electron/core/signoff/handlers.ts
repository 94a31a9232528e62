import type { signoffContract } from '../../shared/contract/signoff';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentRun } from '../case/incident-run';
import { signOffStatus } from '../case/signoff-status';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../kernel/handler-types';
import { FileKeyStore, type SignerKeyStore, signingKeysDir } from './key-store';
import { linkAttestationEvidence, signOff } from './sign';

export interface SignOffHandlerOptions {
  /** Default: key files in <dataDir>/signing-keys (Electron passes one sealed with safeStorage). */
  keys?: SignerKeyStore;
  cloudtrail?: CloudTrailSource;
}

export function signoffHandlers(ctx: CoreContext, o: SignOffHandlerOptions = {}): HandlersOf<typeof signoffContract> {
  const keys = o.keys ?? new FileKeyStore(signingKeysDir(ctx.dataDir));
  return {
    'signoff.status': ({ id }) => signOffStatus(ctx, incidentRun(ctx, id)),
    'signoff.linkEvidence': (input) => linkAttestationEvidence(ctx, ctx.human(), input),
    'signoff.sign': (input) => signOff(ctx, ctx.human(), { keys, cloudtrail: o.cloudtrail }, input),
    'signoff.signerKey': ({ role, name }) => ({ role, name, fingerprint: keys.fingerprintOf({ role, name }) }),
  };
}
