import { z } from 'zod';
import type { Incident } from '../domain';
import { incidentId, method, noInput } from './define';

export interface SampleBackupRestore {
  incidentId: string;
  /** The "production" copy that now holds the full backup again. */
  restored: string;
}

export const sampleContract = {
  /** Opens a SAMPLE incident with real recorded CloudTrail logs, a damaged SQLite database, evidence and a baseline. */
  'sample.create': method<Incident>().mutation(noInput),
  /** In a sample incident: put the full backup back over the damaged copy, so validation can be run again and match. */
  'sample.restoreBackup': method<SampleBackupRestore>().mutation(z.object({ id: incidentId }).strict()),
};
