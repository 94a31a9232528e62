import { join } from 'node:path';
import type { signoffContract } from '../../shared/contract/signoff';
import type { CoreContext } from '../context';
import type { CloudTrailSource } from '../reports/cloudtrail-facts';
import type { HandlersOf } from '../reports/handler-types';
import { incidentRun } from '../reports/incident-run';
import { FileKeyStore, type SignerKeyStore } from './key-store';
import { linkAttestationEvidence, signOff } from './sign';
import { signOffStatus } from './status';

export interface SignOffHandlerOptions {
  /** Default: key files in <dataDir>/signing-keys (Electron passes one sealed with safeStorage). */
  keys?: SignerKeyStore;
  cloudtrail?: CloudTrailSource;
}

export const signingKeysDir = (dataDir: string): string => join(dataDir, 'signing-keys');

export function signoffHandlers(ctx: CoreContext, o: SignOffHandlerOptions = {}): HandlersOf<typeof signoffContract> {
  const keys = o.keys ?? new FileKeyStore(signingKeysDir(ctx.dataDir));
  return {
    'signoff.status': ({ id }) => signOffStatus(ctx, incidentRun(ctx, id)),
    'signoff.linkEvidence': (input) => linkAttestationEvidence(ctx, ctx.human(), input),
    'signoff.sign': (input) => signOff(ctx, ctx.human(), { keys, cloudtrail: o.cloudtrail }, input),
    'signoff.signerKey': ({ role, name }) => ({ role, name, fingerprint: keys.fingerprintOf({ role, name }) }),
  };
}
