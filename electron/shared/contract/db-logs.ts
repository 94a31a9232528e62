import * as z from 'zod';
import type { DbLogImport, DbLogStatement } from '../validation';
import { incidentId, method, operationId, text } from './define';

/**
 * The database's own record on the incident's time axis: binlog text and PostgreSQL logs become evidence, and their
 * statements (with rows deleted per table from row events) are recorded against the incident.
 */

const login = text('Database login', 200);

export const dbLogsContract = {
  /** Each file becomes evidence; a cancel keeps the statements read so far. Progress is a line per file. */
  'validation.importDbLogs': method<DbLogImport, string>().mutation(
    () => z.object({ incidentId, paths: z.array(text('Path', 4096)).min(1, 'give at least one log file').max(10_000), logins: z.array(login).max(50).default([]), operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** The imported statements in time order (`destructiveOnly`: DELETE, UPDATE, DROP, TRUNCATE, ALTER ... DROP). */
  'validation.dbLogStatements': method<{ total: number; statements: Array<DbLogStatement & { evidenceId: string }> }>().query(
    () => z
      .object({
        incidentId,
        destructiveOnly: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
} as const;
