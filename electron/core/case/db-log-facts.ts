import { REPORT_DB_LOG_ENTRIES, REPORT_STATEMENT_CHARS, type ReportDatabaseLog } from '../../shared/reports';
import type { CoreContext } from '../context';
import { DbLogRepository } from '../validation/logs/db-log-repository';

/**
 * What the databases' own logs say happened, for the incident report: every imported statement counted, rows deleted
 * per table from the row events, and the destructive statements listed in time order (the first few hundred; the rest
 * stay in the evidence files, which the report names). Null when no database log was imported.
 */
export function reportDatabaseLog(ctx: CoreContext, incidentId: string): ReportDatabaseLog | null {
  const repo = new DbLogRepository(ctx.db);
  const counts = repo.counts(incidentId);
  if (counts.statements === 0) return null;
  const entries = repo.list(incidentId, { destructiveOnly: true, limit: REPORT_DB_LOG_ENTRIES }).map((s) => ({
    at: s.at,
    source: s.source,
    login: s.login,
    database: s.database,
    operation: s.operation,
    table: s.table,
    rows: s.rows,
    statement: s.statement.length > REPORT_STATEMENT_CHARS ? `${s.statement.slice(0, REPORT_STATEMENT_CHARS - 1)}…` : s.statement,
    evidenceId: s.evidenceId,
    line: s.line,
  }));
  return {
    statements: counts.statements,
    destructive: counts.destructive,
    first: counts.first,
    last: counts.last,
    rowsDeleted: repo.rowsDeleted(incidentId),
    entries,
    notListed: Math.max(0, counts.destructive - entries.length),
  };
}
