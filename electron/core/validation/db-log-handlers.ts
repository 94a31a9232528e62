import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { importDbLogs } from './logs/db-log-import';
import { DbLogRepository } from './logs/db-log-repository';

/** Database logs (binlog text, PostgreSQL csvlog/stderr) imported as evidence and statements of an incident. */
export function dbLogHandlers(ctx: CoreContext): Pick<ApiHandlers, 'validation.importDbLogs' | 'validation.dbLogStatements'> {
  const repo = new DbLogRepository(ctx.db);
  return {
    'validation.importDbLogs': ({ incidentId, paths, logins }, { signal, progress }) => importDbLogs(ctx, incidentId, paths, { logins, signal, onProgress: progress }),
    'validation.dbLogStatements': ({ incidentId, destructiveOnly, offset, limit }) => {
      if (!new IncidentRepository(ctx.db).get(incidentId)) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
      const all = repo.counts(incidentId);
      const statements = repo.list(incidentId, { destructiveOnly, offset, limit });
      return { total: destructiveOnly ? all.destructive : all.statements, statements };
    },
  };
}
