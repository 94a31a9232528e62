import * as z from 'zod';
import type { SignedRequest } from '../signers';
import type { SignOffRecord, SignOffRequestFile, SignOffRequestSummary, SignOffStatus, SignerKeyInfo } from '../signoff';
import { incidentId, method, text } from './define';

const stepId = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'a step id looks like reinstatement-sign-off').max(120);

export const signInput = z
  .object({
    id: incidentId,
    /** Default: the Recovery phase's sign-off step (the one before the agent returns to production). */
    stepId: stepId.optional(),
    role: text('Role', 80),
    name: text('Name', 200),
    /** Signing while the gate is not met needs a justification; the reports show it prominently. */
    override: text('Override justification', 4000).optional(),
  })
  .strict();

export const requestInput = z
  .object({
    id: incidentId,
    stepId: stepId.optional(),
    role: text('Role', 80),
    override: text('Override justification', 4000).optional(),
  })
  .strict();

const fileText = (label: string) => z.string({ error: `${label} must be text` }).min(1, `${label} is empty`).max(4_000_000, `${label} is larger than 4 MB`);
const fileName = text('File name', 500).optional();

export const signoffContract = {
  /** Every sign-off step of the incident: attestations with their evidence, the gate, who signed and who must. */
  'signoff.status': method<SignOffStatus[]>().query(() => z.object({ id: incidentId }).strict()),
  'signoff.linkEvidence': method<SignOffStatus[]>().mutation(
    () => z
      .object({
        id: incidentId,
        stepId: stepId.optional(),
        attestationId: stepId,
        itemId: text('Item', 80),
        unlink: z.boolean().default(false),
      })
      .strict(),
  ),
  /** The operator signs as themselves only, with their own key enrolled for the role; anyone else is sent a request. */
  'signoff.sign': method<SignOffRecord>().mutation(() => signInput),
  /** The operator's own key for this name and role, to show before they sign: its fingerprint and enrolment, or none. */
  'signoff.signerKey': method<SignerKeyInfo>().query(() => z.object({ role: text('Role', 80), name: text('Name', 200) }).strict()),
  /** Makes the file a signer signs: statement, report hash, the ledger's head, the gate's facts. */
  'signoff.request': method<SignOffRequestFile>().mutation(() => requestInput),
  /** Every request made for the incident: open, signed, stale (with what changed) or closed. */
  'signoff.requests': method<SignOffRequestSummary[]>().query(() => z.object({ id: incidentId }).strict()),
  /** A request's file again, to send it once more. */
  'signoff.requestFile': method<SignOffRequestFile>().query(
    () => z.object({ id: incidentId, requestId: z.string().regex(/^SR-\d{6,}$/, 'a request id looks like SR-000001') }).strict(),
  ),
  /** Records a signer's SSH signature on a request, once it holds, the key is enrolled for the role and the request is current. */
  'signoff.import': method<SignOffRecord>().mutation(
    () => z
      .object({ id: incidentId, signature: fileText('The signature'), request: fileText('The request').optional(), signatureName: fileName, requestName: fileName })
      .strict(),
  ),
  /** On the signer's machine: signs a request with their own key for its role. */
  'signoff.signRequest': method<SignedRequest>().mutation(
    () => z.object({ request: fileText('The request'), name: text('Name', 200).optional(), requestName: fileName }).strict(),
  ),
};
