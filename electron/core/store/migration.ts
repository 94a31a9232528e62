import { createHash } from 'node:crypto';

/** A numbered, append-only schema change. Its checksum is recorded when applied; editing it later stops start-up. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrationChecksum = (m: Migration): string => createHash('sha256').update(m.sql, 'utf8').digest('hex');
