import type { signoffContract } from '../../shared/contract/signoff';
import type { CoreContext } from '../context';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import type { HandlersOf } from '../kernel/handler-types';
import { incidentRun } from '../case/incident-run';
import { activeSigners } from '../signers/enrolment';
import { type SignerKeyStore, roleKey } from '../signers/key-store';
import { signDirect, signRequest } from './own-signature';
import { makeRequest, requestFile, requestSummaries } from './request';
import { linkAttestationEvidence } from './sign';
import { importSignature } from './signature-import';
import { signOffStatus } from '../case/signoff-status';

export interface SignOffHandlerOptions {
  /** The operator's own keys (keys init); Electron's is sealed with safeStorage. */
  keys: SignerKeyStore;
  cloudtrail?: CloudTrailSource;
}

export function signoffHandlers(ctx: CoreContext, o: SignOffHandlerOptions): HandlersOf<typeof signoffContract> {
  const { keys } = o;
  return {
    'signoff.status': ({ id }) => signOffStatus(ctx, incidentRun(ctx, id)),
    'signoff.linkEvidence': (input) => linkAttestationEvidence(ctx, ctx.human(), input),
    'signoff.sign': (input) => signDirect(ctx, ctx.human(), { keys, cloudtrail: o.cloudtrail }, input),
    'signoff.signerKey': ({ role, name }) => {
      const key = keys.get({ name, role });
      const fingerprint = key?.sshPublicKey.fingerprint ?? null;
      const enrolment = fingerprint ? activeSigners(ctx).find((s) => s.fingerprint === fingerprint && roleKey(s.role) === roleKey(role)) : undefined;
      return { role, name, fingerprint, enrolmentId: enrolment?.id ?? null };
    },
    'signoff.request': (input) => makeRequest(ctx, ctx.human(), { cloudtrail: o.cloudtrail }, input),
    'signoff.requests': ({ id }) => requestSummaries(ctx, id),
    'signoff.requestFile': ({ id, requestId }) => requestFile(ctx, id, requestId),
    'signoff.import': (input) => importSignature(ctx, ctx.human(), input),
    'signoff.signRequest': (input) => signRequest(ctx, ctx.human(), keys, input),
  };
}
