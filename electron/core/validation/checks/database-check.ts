import type { DatabaseCheck } from '../../../shared/validation';
import type { TargetAdapter } from '../adapters/adapter';
import { resolveTables } from '../baseline/scan';

export interface DatabaseCheckOptions {
  tables?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  now?: () => Date;
}

/**
 * The engine's own integrity check on a live database: SQLite PRAGMA integrity_check, MariaDB/MySQL CHECK TABLE
 * (InnoDB tables only: on MyISAM and Aria it writes its result into the table), PostgreSQL a read-through of every table.
 */
export async function checkDatabase(adapter: TargetAdapter, o: DatabaseCheckOptions = {}): Promise<DatabaseCheck> {
  const all = await adapter.listTables(null);
  const tables = o.tables?.length ? resolveTables(all, o.tables, adapter.display) : all;
  const r = await adapter.integrityCheck(tables, o.signal);
  const sqliteOk = r.method !== 'sqlite-integrity-check' || (r.messages.length === 1 && r.messages[0] === 'ok');
  const tablesOk = r.tables.every((t) => t.status === 'ok' || t.status === 'skipped');
  return {
    target: adapter.display,
    engine: adapter.engine,
    method: r.method,
    ok: sqliteOk && tablesOk,
    messages: r.messages,
    tables: r.tables,
    checkedAt: (o.now ?? (() => new Date()))().toISOString(),
  };
}
