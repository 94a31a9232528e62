import { z } from 'zod';
import type { SignOffRecord, SignOffStatus, SignerKeyInfo } from '../signoff';
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

export const signoffContract = {
  /** Every sign-off step of the incident: attestations with their evidence, the gate, who signed and who must. */
  'signoff.status': method<SignOffStatus[]>().query(z.object({ id: incidentId }).strict()),
  'signoff.linkEvidence': method<SignOffStatus[]>().mutation(
    z
      .object({
        id: incidentId,
        stepId: stepId.optional(),
        attestationId: stepId,
        itemId: text('Item', 80),
        unlink: z.boolean().default(false),
      })
      .strict(),
  ),
  'signoff.sign': method<SignOffRecord>().mutation(signInput),
  /** The fingerprint of a signer's key, to show before they sign; null before their first signature. */
  'signoff.signerKey': method<SignerKeyInfo>().query(z.object({ role: text('Role', 80), name: text('Name', 200) }).strict()),
};
