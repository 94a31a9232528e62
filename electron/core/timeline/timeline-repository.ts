import type { IncidentTimelineFilter, TimelineCursor, TimelineSource } from '../../shared/timeline';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';

/** A row's place on the time axis: milliseconds and its order within its source (the rowid). */
export interface TimelineKey {
  t: number;
  r: number;
}

/** Rank of each source within one millisecond: the tool call, then the cloud call it caused, then the statement. */
export const SOURCE_RANK: Record<TimelineSource, number> = { agent: 0, cloud: 1, database: 2 };

/** The text search on cloud calls, decided by the caller from the incident's distinct values. */
export type CloudText =
  /** One walk per matching value, each down its own index, merged by the caller. */
  | { kind: 'value'; column: 'event_name' | 'principal' | 'error_code' | 'event_id'; value: string }
  /** Many matching values: one walk in time order testing membership in the covering index. */
  | { kind: 'lists'; names: string[]; principals: string[]; errors: string[]; eventId: string }
  /** Too many distinct values to list: a substring test on every call (the slow path, said in the README). */
  | { kind: 'scan'; text: string };

interface Clause {
  sql: string[];
  args: unknown[];
}

const clause = (): Clause => ({ sql: [], args: [] });
const add = (c: Clause, sql: string, ...args: unknown[]) => {
  c.sql.push(sql);
  c.args.push(...args);
};

/**
 * A text walk goes down its value's own index: without statistics SQLite would rather scan the covering keyset index
 * (a million entries) than look up the few rows named, say, DeleteDBInstance, whenever another filter is set too.
 */
const VALUE_INDEX: Record<'event_name' | 'principal' | 'error_code', string> = {
  event_name: 'cloudtrail_events_name_ms',
  principal: 'cloudtrail_events_principal_ms',
  error_code: 'cloudtrail_events_error_code_ms',
};

const cloudTable = (text: CloudText | null) =>
  text?.kind === 'value' && text.column !== 'event_id' ? `cloudtrail_events INDEXED BY ${VALUE_INDEX[text.column]}` : 'cloudtrail_events';

/** The filter's `to` is inclusive of its whole second, as the cloud list reads it. */
const fromMs = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;
const toMs = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000 + 999;

/**
 * Entries after the cursor in (time, source rank, rowid) order, for a source of rank `rank`: in the cursor's own source
 * the row-value comparison lets SQLite start the index walk right after the cursor's row.
 */
function after(c: Clause, time: string, rank: number, cursor: TimelineCursor | undefined): void {
  if (!cursor) return;
  if (rank > cursor.s) add(c, `${time} >= ?`, cursor.t);
  else if (rank < cursor.s) add(c, `${time} > ?`, cursor.t);
  else add(c, `(${time}, rowid) > (?, ?)`, cursor.t, cursor.r);
}

function range(c: Clause, time: string, f: IncidentTimelineFilter): void {
  if (f.from) add(c, `${time} >= ?`, fromMs(f.from));
  if (f.to) add(c, `${time} <= ?`, toMs(f.to));
}

const where = (c: Clause) => c.sql.join(' AND ');

/**
 * The incident timeline's reads over the three tables that hold its entries (cloud calls, database statements, tool
 * calls). Each read walks an index in time order and stops at the page's end, so no read depends on the incident's size;
 * counts stop at a cap for the same reason.
 */
export class TimelineRepository {
  /** Prepared once per distinct text: a page runs the same few shapes again and again. */
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private prepare(sql: string): Statement {
    let s = this.prepared.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.prepared.set(sql, s);
    }
    return s;
  }

  /** Changes when anything was written since (by this connection or another), so cached reads know they are stale. */
  version(): string {
    const data = this.db.pragma('data_version', { simple: true }) as number;
    const mine = (this.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    return `${data}:${mine}`;
  }

  /**
   * The distinct values of a cloud column in the incident, by hopping down its index from one value to the next (a
   * loose index scan: one probe per value, not one per call); null when there are more than `max`.
   */
  distinctCloudValues(incidentId: string, column: 'event_name' | 'principal' | 'error_code', max: number): string[] | null {
    const next = this.prepare(`SELECT min(${column}) AS v FROM cloudtrail_events WHERE incident_id = ? AND ${column} > ?`);
    const out: string[] = [];
    let last = '';
    for (;;) {
      const v = (next.get(incidentId, last) as { v: string | null }).v;
      if (v === null) return out;
      if (out.length === max) return null;
      out.push(v);
      last = v;
    }
  }

  private cloudClause(incidentId: string, f: IncidentTimelineFilter, text: CloudText | null): Clause {
    const c = clause();
    add(c, 'incident_id = ?', incidentId);
    if (f.cloud) add(c, 'cloud = ?', f.cloud);
    if (f.principal) add(c, 'principal = ?', f.principal);
    if (f.service) add(c, 'service = ?', f.service);
    if (f.highRiskOnly) add(c, 'rules IS NOT NULL');
    if (f.errorsOnly) add(c, 'error_code IS NOT NULL');
    if (f.agentOnly) add(c, 'agent IS NOT NULL');
    if (f.destructiveOnly) add(c, 'destructive = 1');
    range(c, 'time_ms', f);
    if (text?.kind === 'value') add(c, `${text.column} = ?`, text.value);
    if (text?.kind === 'lists') {
      add(
        c,
        `(event_name IN (SELECT value FROM json_each(?)) OR principal IN (SELECT value FROM json_each(?)) OR error_code IN (SELECT value FROM json_each(?)) OR event_id = ?)`,
        JSON.stringify(text.names),
        JSON.stringify(text.principals),
        JSON.stringify(text.errors),
        text.eventId,
      );
    }
    if (text?.kind === 'scan') {
      add(
        c,
        "(instr(lower(event_name), lower(?)) > 0 OR instr(lower(principal), lower(?)) > 0 OR event_id = ? OR instr(lower(coalesce(error_code, '')), lower(?)) > 0)",
        text.text,
        text.text,
        text.text,
        text.text,
      );
    }
    return c;
  }

  /** Cloud calls after the cursor, in time order, at most `limit`. */
  cloudKeys(incidentId: string, f: IncidentTimelineFilter, text: CloudText | null, cursor: TimelineCursor | undefined, limit: number): TimelineKey[] {
    const c = this.cloudClause(incidentId, f, text);
    after(c, 'time_ms', SOURCE_RANK.cloud, cursor);
    return this.prepare(`SELECT time_ms AS t, rowid AS r FROM ${cloudTable(text)} WHERE ${where(c)} ORDER BY time_ms, rowid LIMIT ?`).all(...c.args, limit) as TimelineKey[];
  }

  /** The rowids of the cloud calls the filter matches, at most `cap` (for counting a text search once per row). */
  cloudRowids(incidentId: string, f: IncidentTimelineFilter, text: CloudText | null, cap: number): number[] {
    const c = this.cloudClause(incidentId, f, text);
    return (this.prepare(`SELECT rowid AS r FROM ${cloudTable(text)} WHERE ${where(c)} LIMIT ?`).all(...c.args, cap) as Array<{ r: number }>).map((x) => x.r);
  }

  cloudCount(incidentId: string, f: IncidentTimelineFilter, text: CloudText | null, cap: number): number {
    const c = this.cloudClause(incidentId, f, text);
    return (this.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${cloudTable(text)} WHERE ${where(c)} LIMIT ?)`).get(...c.args, cap) as { n: number }).n;
  }

  private databaseClause(incidentId: string, f: IncidentTimelineFilter): Clause {
    const c = clause();
    add(c, 'incident_id = ?', incidentId);
    add(c, 'at_ms IS NOT NULL');
    if (f.destructiveOnly) add(c, 'destructive = 1');
    range(c, 'at_ms', f);
    if (f.text) {
      add(c, "(instr(lower(operation), lower(?)) > 0 OR instr(lower(table_name), lower(?)) > 0 OR instr(lower(coalesce(login, '')), lower(?)) > 0 OR instr(lower(statement), lower(?)) > 0)", f.text, f.text, f.text, f.text);
    }
    return c;
  }

  databaseKeys(incidentId: string, f: IncidentTimelineFilter, cursor: TimelineCursor | undefined, limit: number): TimelineKey[] {
    const c = this.databaseClause(incidentId, f);
    after(c, 'at_ms', SOURCE_RANK.database, cursor);
    return this.prepare(`SELECT at_ms AS t, rowid AS r FROM db_log_statements WHERE ${where(c)} ORDER BY at_ms, rowid LIMIT ?`).all(...c.args, limit) as TimelineKey[];
  }

  databaseCount(incidentId: string, f: IncidentTimelineFilter, cap: number): number {
    const c = this.databaseClause(incidentId, f);
    return (this.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM db_log_statements WHERE ${where(c)} LIMIT ?)`).get(...c.args, cap) as { n: number }).n;
  }

  databaseRows(incidentId: string, rowids: readonly number[]): DatabaseRow[] {
    if (rowids.length === 0) return [];
    return this.prepare(
        `SELECT rowid AS row_id, at, at_ms, source, login, database, session, operation, destructive, table_name, rows, statement, line, evidence_id
         FROM db_log_statements WHERE +incident_id = ? AND rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(incidentId, JSON.stringify(rowids)) as DatabaseRow[];
  }

  private agentClause(incidentId: string, f: IncidentTimelineFilter): Clause {
    const c = clause();
    add(c, 'incident_id = ?', incidentId);
    add(c, 'start_ms IS NOT NULL');
    if (f.destructiveOnly) add(c, 'destructive = 1');
    if (f.errorsOnly) add(c, 'error IS NOT NULL');
    range(c, 'start_ms', f);
    if (f.text) {
      add(c, "(instr(lower(name), lower(?)) > 0 OR instr(lower(coalesce(arguments, '')), lower(?)) > 0 OR instr(lower(coalesce(destructive_because, '')), lower(?)) > 0)", f.text, f.text, f.text);
    }
    return c;
  }

  agentKeys(incidentId: string, f: IncidentTimelineFilter, cursor: TimelineCursor | undefined, limit: number): TimelineKey[] {
    const c = this.agentClause(incidentId, f);
    after(c, 'start_ms', SOURCE_RANK.agent, cursor);
    return this.prepare(`SELECT start_ms AS t, rowid AS r FROM trace_tool_calls WHERE ${where(c)} ORDER BY start_ms, rowid LIMIT ?`).all(...c.args, limit) as TimelineKey[];
  }

  agentCount(incidentId: string, f: IncidentTimelineFilter, cap: number): number {
    const c = this.agentClause(incidentId, f);
    return (this.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM trace_tool_calls WHERE ${where(c)} LIMIT ?)`).get(...c.args, cap) as { n: number }).n;
  }

  agentRows(incidentId: string, rowids: readonly number[]): AgentRow[] {
    if (rowids.length === 0) return [];
    return this.prepare(
        `SELECT rowid AS row_id, import_id, trace_id, step_id, name, started_at, start_ms, ended_at, destructive, destructive_because, error
         FROM trace_tool_calls WHERE +incident_id = ? AND rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(incidentId, JSON.stringify(rowids)) as AgentRow[];
  }

  /**
   * Whether the source has an entry in the whole second `sec` other than the row `except` (a rowid of that source, or
   * -1); `wholeOnly` asks only for entries with whole seconds (CloudTrail calls, binlog statements).
   */
  inSecond(source: TimelineSource, incidentId: string, sec: number, except: number, wholeOnly: boolean): boolean {
    const lo = sec * 1000;
    const hi = lo + 999;
    const sql =
      source === 'cloud'
        ? `SELECT 1 FROM cloudtrail_events WHERE incident_id = ? AND time_ms BETWEEN ? AND ? AND rowid <> ? ${wholeOnly ? 'AND sub_second = 0' : ''} LIMIT 1`
        : source === 'database'
          ? `SELECT 1 FROM db_log_statements WHERE incident_id = ? AND at_ms BETWEEN ? AND ? AND rowid <> ? ${wholeOnly ? "AND source = 'mariadb-binlog'" : ''} LIMIT 1`
          : `SELECT 1 FROM trace_tool_calls WHERE incident_id = ? AND start_ms BETWEEN ? AND ? AND rowid <> ? ${wholeOnly ? 'AND 0' : ''} LIMIT 1`;
    return this.prepare(sql).get(incidentId, lo, hi, except) !== undefined;
  }
}

export interface DatabaseRow {
  row_id: number;
  at: string;
  at_ms: number;
  source: 'mariadb-binlog' | 'postgresql-csvlog' | 'postgresql-stderr';
  login: string | null;
  database: string | null;
  session: string | null;
  operation: string;
  destructive: number;
  table_name: string | null;
  rows: number | null;
  statement: string;
  line: number;
  evidence_id: string;
}

export interface AgentRow {
  row_id: number;
  import_id: string;
  trace_id: string;
  step_id: string;
  name: string;
  started_at: string;
  start_ms: number;
  ended_at: string | null;
  destructive: number;
  destructive_because: string | null;
  error: string | null;
}
