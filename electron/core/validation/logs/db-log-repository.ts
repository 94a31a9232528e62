import type { DbLogStatement } from '../../../shared/validation';
import type { Db } from '../../store/database';

interface Row {
  at: string;
  source: DbLogStatement['source'];
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

export type StoredDbLogStatement = DbLogStatement & { evidenceId: string };

/** Statements imported from database logs, per incident (written inside the import's ledger entries). */
export class DbLogRepository {
  constructor(private readonly db: Db) {}

  /** Returns how many were new (a file imported twice adds nothing). */
  insert(incidentId: string, evidenceId: string, statements: readonly DbLogStatement[]): number {
    const put = this.db.prepare(
      `INSERT OR IGNORE INTO db_log_statements (incident_id, evidence_id, line, at, source, login, database, session, operation, destructive, table_name, rows, statement)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    for (const s of statements) {
      added += put.run(incidentId, evidenceId, s.line, s.at, s.source, s.login, s.database, s.session, s.operation, s.destructive ? 1 : 0, s.table ?? '', s.rows, s.statement).changes;
    }
    return added;
  }

  /** In time order; `destructiveOnly` for the statements that removed or rewrote something. */
  list(incidentId: string, o: { destructiveOnly?: boolean; limit?: number; offset?: number } = {}): StoredDbLogStatement[] {
    const rows = this.db
      .prepare(
        `SELECT at, source, login, database, session, operation, destructive, table_name, rows, statement, line, evidence_id FROM db_log_statements
         WHERE incident_id = ? AND (? = 0 OR destructive = 1) ORDER BY at, evidence_id, line, table_name LIMIT ? OFFSET ?`,
      )
      .all(incidentId, o.destructiveOnly ? 1 : 0, o.limit ?? -1, o.offset ?? 0) as Row[];
    return rows.map((r) => ({
      at: r.at,
      source: r.source,
      login: r.login,
      database: r.database,
      session: r.session,
      operation: r.operation,
      destructive: r.destructive === 1,
      table: r.table_name === '' ? null : r.table_name,
      rows: r.rows,
      statement: r.statement,
      line: r.line,
      evidenceId: r.evidence_id,
    }));
  }

  /** Rows deleted per table, from row events, largest first. */
  rowsDeleted(incidentId: string): Array<{ table: string; rows: number }> {
    return this.db
      .prepare(
        `SELECT table_name AS "table", SUM(rows) AS rows FROM db_log_statements WHERE incident_id = ? AND operation = 'DELETE' AND rows IS NOT NULL AND table_name <> ''
         GROUP BY table_name ORDER BY rows DESC, table_name`,
      )
      .all(incidentId) as Array<{ table: string; rows: number }>;
  }

  counts(incidentId: string): { statements: number; destructive: number; first: string | null; last: string | null } {
    const r = this.db
      .prepare('SELECT COUNT(*) AS statements, COALESCE(SUM(destructive), 0) AS destructive, MIN(at) AS first, MAX(at) AS last FROM db_log_statements WHERE incident_id = ?')
      .get(incidentId) as { statements: number; destructive: number; first: string | null; last: string | null };
    return r;
  }
}
