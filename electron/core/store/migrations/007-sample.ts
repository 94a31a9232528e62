import type { Migration } from '../migration';

/** The sample incident for training and evaluation: marked so no report or bundle can pass it off as real. */
export const migration007: Migration = {
  id: 7,
  name: 'sample-incidents',
  sql: `ALTER TABLE incidents ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1));`,
};
