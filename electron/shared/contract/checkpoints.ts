import * as z from 'zod';
import type { Checkpoint, CheckpointOutcome, Settings } from '../checkpoints';
import { SETTING_KEYS } from '../checkpoints';
import { incidentId, method, noInput } from './define';

export const checkpointsContract = {
  /** Signs a checkpoint of the incident's and the system's ledger now, with the operator's own key. */
  'audit.checkpoint': method<CheckpointOutcome>().mutation(() => z.object({ id: incidentId }).strict()),
  'audit.checkpoints': method<Checkpoint[]>().query(() => z.object({ id: incidentId }).strict()),
  'settings.get': method<Settings>().query(() => noInput),
  /** Sets (or clears, with null) an organisation setting: the TSA's URL, or the PEM certificates of its CA. */
  'settings.set': method<Settings>().mutation(
    () => z
      .object({
        key: z.enum(SETTING_KEYS, { error: `the setting is one of ${SETTING_KEYS.join(', ')}` }),
        value: z.string().trim().min(1, 'the value is empty; give null to clear the setting').max(200_000, 'the value is longer than 200,000 characters').nullable(),
      })
      .strict(),
  ),
};
