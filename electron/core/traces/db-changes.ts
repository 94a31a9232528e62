import type { DbLogStatement } from '../../shared/validation';
import type { TraceScanFile } from '../../shared/traces';
import { detectDbLog, readDbLog } from '../validation/logs/db-log-reader';
import type { DbChange } from './db-correlate';

/** A statement of a database log as the chain correlates it; `where` names its file (scan) or evidence item (import). */
export function dbChangeOf(s: DbLogStatement, where: string): DbChange {
  return {
    id: `${where}:${s.line}${s.table ? `:${s.table}` : ''}`,
    at: s.at,
    timeMs: Date.parse(s.at),
    login: s.login,
    database: s.database,
    operation: s.operation,
    destructive: s.destructive,
    table: s.table,
    rows: s.rows,
    statement: s.statement,
  };
}

/** Whether a file given with `--logs` is a database log (binlog text, PostgreSQL csvlog or stderr with pgaudit lines). */
export const isDbLog = async (path: string): Promise<boolean> => (await detectDbLog(path).catch(() => null)) !== null;

/** The statements of database logs given alongside a trace, each file reported like a cloud log. */
export async function readDbChanges(paths: readonly string[], signal?: AbortSignal): Promise<{ changes: DbChange[]; files: TraceScanFile[] }> {
  const changes: DbChange[] = [];
  const files: TraceScanFile[] = [];
  for (const path of paths) {
    let records = 0;
    const r = await readDbLog(
      path,
      (s) => {
        records++;
        changes.push(dbChangeOf(s, path));
      },
      { signal },
    );
    files.push({ path, format: 'db-log', status: r.problem ? 'partial' : 'ok', records, reason: r.problem });
  }
  return { changes, files };
}
