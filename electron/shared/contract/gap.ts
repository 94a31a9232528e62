import * as z from 'zod';
import { GAP_STATES, type GapAnalysis } from '../gap';
import { incidentId, method, text } from './define';

/** A control as a responder types it: AC-2, ac-2, CM-3(1). */
const controlId = text('Control', 20);
const optionalText = (label: string, max: number) =>
  z.string({ error: `${label} must be text` }).trim().max(max, `${label} is longer than ${max} characters`).nullable().optional();
const dueDate = z
  .string()
  .regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'a due date looks like 2026-06-30')
  .nullable()
  .optional();

export const assessControlInput = z
  .object({
    id: incidentId,
    controlId,
    /** Given fields change, null clears, absent fields stay as they are. */
    state: z.enum(GAP_STATES).nullable().optional(),
    gap: optionalText('Gap', 4000),
    owner: optionalText('Owner', 200),
    dueDate,
  })
  .strict();

export const gapContract = {
  /** The gap set of the incident's playbook with the catalog text of each control and what has been recorded. */
  'gap.get': method<GapAnalysis>().query(() => z.object({ id: incidentId }).strict()),
  'gap.assess': method<GapAnalysis>().mutation(() => assessControlInput),
  'gap.linkEvidence': method<GapAnalysis>().mutation(
    () => z.object({ id: incidentId, controlId, itemId: text('Item', 80), unlink: z.boolean().default(false) }).strict(),
  ),
};
