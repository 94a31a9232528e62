import type { DbObjectDefinition } from './adapter';

/** SQLite keeps the CREATE text of its views and triggers in sqlite_master; it has no routines or sequences. */
export function listSqliteObjects(rows: ReadonlyArray<{ type: string; name: string; tbl_name: string; sql: string | null }>): DbObjectDefinition[] {
  return rows
    .filter((r) => r.type === 'view' || r.type === 'trigger')
    .map((r) => ({ kind: r.type === 'view' ? 'view' : 'trigger', name: r.name, table: r.type === 'trigger' ? r.tbl_name : null, definition: r.sql ?? '' }));
}
