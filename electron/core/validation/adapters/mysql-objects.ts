import { quoteBacktick, type DbObjectDefinition } from './adapter';

/**
 * MySQL/MariaDB views, routines, triggers and sequences of one database, from information_schema. The server writes
 * the database's own name into view bodies (`shop`.`t`); it is taken out so that a restore into a scratch database
 * with another name compares equal.
 */

type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listMysqlObjects(query: Query, database: string): Promise<DbObjectDefinition[]> {
  const own = new RegExp(`${escapeRegExp(quoteBacktick(database))}\\.`, 'g');
  const local = (s: unknown) => String(s ?? '').replace(own, '');
  const out: DbObjectDefinition[] = [];
  const views = await query('SELECT TABLE_NAME AS name, VIEW_DEFINITION AS body, CHECK_OPTION AS chk FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?', [database]);
  for (const r of views) out.push({ kind: 'view', name: String(r.name), table: null, definition: `${local(r.body)} CHECK OPTION ${r.chk}` });

  const params = await query(
    `SELECT SPECIFIC_NAME AS name, ROUTINE_TYPE AS type, PARAMETER_MODE AS mode, PARAMETER_NAME AS param, DTD_IDENTIFIER AS dtd
     FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? ORDER BY SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION`,
    [database],
  );
  const signature = new Map<string, string[]>();
  for (const p of params) {
    const key = `${p.type}:${p.name}`;
    // Position 0 of a function is its return type (no name, no mode).
    signature.set(key, [...(signature.get(key) ?? []), p.param === null ? `RETURNS ${p.dtd}` : `${p.mode ?? ''} ${p.param} ${p.dtd}`.trim()]);
  }
  const routines = await query(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, ROUTINE_DEFINITION AS body, IS_DETERMINISTIC AS det, SQL_DATA_ACCESS AS access,
            SECURITY_TYPE AS security
     FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`,
    [database],
  );
  for (const r of routines) {
    const sig = (signature.get(`${r.type}:${r.name}`) ?? []).join(', ');
    out.push({
      kind: r.type === 'PROCEDURE' ? 'procedure' : 'function',
      name: String(r.name),
      table: null,
      definition: `(${sig}) DETERMINISTIC ${r.det} ${r.access} SECURITY ${r.security} ${local(r.body)}`,
    });
  }
  const triggers = await query(
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`,
    [database],
  );
  for (const r of triggers) {
    out.push({ kind: 'trigger', name: String(r.name), table: String(r.tbl), definition: `${r.timing} ${r.event} ON ${r.tbl} FOR EACH ROW ${local(r.body)}` });
  }
  // MariaDB's sequences are tables of type SEQUENCE; MySQL has none and lists none.
  const sequences = await query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'SEQUENCE'", [database]);
  for (const s of sequences) {
    const [row] = await query(`SHOW CREATE SEQUENCE ${quoteBacktick(database)}.${quoteBacktick(String(s.name))}`, []);
    out.push({ kind: 'sequence', name: String(s.name), table: null, definition: local(row?.['Create Table'] ?? '') });
  }
  return out;
}
