import type { DbObjectDefinition } from './adapter';

/**
 * PostgreSQL's views, routines, triggers and sequences, each with the definition the server itself prints
 * (pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef), so equal objects print alike whoever created them.
 */

type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** User schemas only, and nothing an extension owns (its objects come back with the extension, not the restore). */
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp%' AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))`;
const notFromExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const VIEWS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, pg_get_viewdef(c.oid, true) AS definition
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMA} AND ${notFromExtension('pg_class', 'c.oid')}`;

// Aggregates and window functions have no pg_get_functiondef; prokind 'f' and 'p' are what users write.
const ROUTINES_SQL = `
SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS prokind,
       pg_get_function_identity_arguments(p.oid) AS args, pg_get_functiondef(p.oid) AS definition
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND ${USER_SCHEMA} AND ${notFromExtension('pg_proc', 'p.oid')}`;

const TRIGGERS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS definition,
       t.tgenabled::text AS enabled
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND ${USER_SCHEMA}`;

const SEQUENCES_SQL = `
SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
       s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcycle AS cycle
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${USER_SCHEMA} AND ${notFromExtension('pg_class', 'c.oid')}`;

export async function listPostgresObjects(query: Query, schemas: readonly string[] | null | undefined): Promise<DbObjectDefinition[]> {
  const only = schemas?.length ? [...schemas] : null;
  const out: DbObjectDefinition[] = [];
  for (const r of await query(VIEWS_SQL, [only])) {
    out.push({ kind: r.relkind === 'm' ? 'materialized-view' : 'view', name: `${r.schema}.${r.name}`, table: null, definition: String(r.definition) });
  }
  for (const r of await query(ROUTINES_SQL, [only])) {
    out.push({ kind: r.prokind === 'p' ? 'procedure' : 'function', name: `${r.schema}.${r.name}(${r.args})`, table: null, definition: String(r.definition) });
  }
  for (const r of await query(TRIGGERS_SQL, [only])) {
    // A disabled trigger fires no more: that is part of what it does.
    out.push({ kind: 'trigger', name: `${r.schema}.${r.table}.${r.name}`, table: `${r.schema}.${r.table}`, definition: `${r.definition} ENABLED ${r.enabled}` });
  }
  for (const r of await query(SEQUENCES_SQL, [only])) {
    // The definition, not the current value: every insert moves that, and a restore sets it from the data.
    const d = `AS ${r.type} START ${r.start} INCREMENT ${r.increment} MINVALUE ${r.min} MAXVALUE ${r.max} ${r.cycle ? 'CYCLE' : 'NO CYCLE'}`;
    out.push({ kind: 'sequence', name: `${r.schema}.${r.name}`, table: null, definition: d });
  }
  return out;
}
