import * as z from 'zod';
import type { Incident } from '../domain';
import type { SignOffRecord } from '../signoff';
import { incidentId, method, noInput } from './define';

export interface SampleBackupRestore {
  incidentId: string;
  /** The "production" copy that now holds the full backup again. */
  restored: string;
}

export const sampleContract = {
  /** Opens a SAMPLE incident with real recorded CloudTrail logs, a damaged SQLite database, evidence and a baseline. */
  'sample.create': method<Incident>().mutation(() => noInput),
  /** In a sample incident: put the full backup back over the damaged copy, so validation can be run again and match. */
  'sample.restoreBackup': method<SampleBackupRestore>().mutation(() => z.object({ id: incidentId }).strict()),
  /**
   * In a sample incident: every role of the sign-off step that has not signed signs as a real signer does, on a
   * machine of their own (a temporary key folder), by request and imported signature. Refused while the gate is not met.
   */
  'sample.signOff': method<SignOffRecord[]>().mutation(
    () => z.object({ id: incidentId, stepId: z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'a step id looks like reinstatement-sign-off').max(120).optional() }).strict(),
  ),
};
