import type { DbLogStatement } from '../../../shared/validation';
import { statementKind } from './statement-kind';

/**
 * Reads the text `mariadb-binlog -vv --base64-output=DECODE-ROWS` (or `mysqlbinlog`) prints: DDL and statement-based
 * changes arrive as Query events, row-based changes as Write/Update/Delete_rows events whose rows are printed as
 * `### DELETE FROM ...` pseudo-statements. Row values are never kept, only counted per statement and table.
 *
 * Times: Query events carry `SET TIMESTAMP=<epoch>`; every event header carries the time in the zone of the machine
 * that ran mariadb-binlog. The offset between the two, learnt from the Query events, places row events in UTC.
 */

const MAX_STATEMENT = 4000;
const HEADER = /^#(\d{2})(\d{2})(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+server id\s+\d+\s+end_log_pos\s+\d+(?:\s+CRC32\s+\S+)?\s+(.*)$/;
const ROW = /^### (DELETE FROM|INSERT INTO|UPDATE) (`(?:[^`]|``)+`\.`(?:[^`]|``)+`)/;
const SKIP = /^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|XA\s)/i;

const rowOperation = { 'DELETE FROM': 'DELETE', 'INSERT INTO': 'INSERT', UPDATE: 'UPDATE' } as const;

export class BinlogTextReader {
  private line = 0;
  private database: string | null = null;
  private thread: string | null = null;
  private epoch: number | null = null;
  /** Seconds to add to a header's wall-clock time (read as UTC) to get UTC. */
  private offset: number | null = null;
  private headerSeconds: number | null = null;
  private event = '';
  private eventLine = 0;
  private query: string[] = [];
  private annotation: string[] = [];
  private annotationLine = 0;
  private rows = new Map<string, { operation: 'DELETE' | 'INSERT' | 'UPDATE'; rows: number; line: number; at: string }>();
  /** Row events wait until the time offset is known (or the log ends): the first Query may come after them. */
  private waiting: DbLogStatement[] = [];
  sawHeader = false;

  constructor(private readonly emit: (s: DbLogStatement) => void) {}

  feed(text: string): void {
    this.line += 1;
    const h = HEADER.exec(text);
    if (h) {
      // A statement's rows span several row events (a table map and rows per table); STMT_END_F marks its last.
      const next = h[7] ?? '';
      if (this.rows.size && (this.event.includes('STMT_END_F') || !/^(Table_map|\w+_rows(_v1)?:)/.test(next))) this.emitRows();
      this.sawHeader = true;
      const [, yy, mo, dd, hh, mi, ss] = h.map(Number) as number[];
      this.headerSeconds = Date.UTC(2000 + (yy ?? 0), (mo ?? 1) - 1, dd ?? 1, hh ?? 0, mi ?? 0, ss ?? 0) / 1000;
      this.event = h[7] ?? '';
      this.eventLine = this.line;
      this.query = [];
      const thread = /thread_id=(\d+)/.exec(this.event);
      if (thread?.[1]) this.thread = thread[1];
      if (this.event.startsWith('Annotate_rows')) {
        this.annotation = [];
        this.annotationLine = this.line;
      }
      return;
    }
    if (text.startsWith('#Q> ')) {
      this.annotation.push(text.slice(4));
      return;
    }
    if (text.startsWith('###')) {
      const r = ROW.exec(text);
      if (r?.[1] && r[2]) this.countRow(rowOperation[r[1] as keyof typeof rowOperation], r[2]);
      return;
    }
    if (text.startsWith('#')) return;
    if (!this.event.startsWith('Query')) return;
    this.queryLine(text);
  }

  private queryLine(text: string): void {
    const use = /^use (`(?:[^`]|``)+`)\/\*!\*\/;$/.exec(text);
    if (use?.[1]) {
      this.database = use[1].slice(1, -1).replace(/``/g, '`');
      return;
    }
    const ts = /^SET TIMESTAMP=(\d+)(?:\.\d+)?\/\*!\*\/;$/.exec(text);
    if (ts?.[1]) {
      this.epoch = Number(ts[1]);
      if (this.headerSeconds !== null && this.offset === null) {
        this.offset = this.epoch - this.headerSeconds;
        const waiting = this.waiting;
        this.waiting = [];
        for (const s of waiting) this.emit(this.shift(s));
      }
      return;
    }
    if (text === '/*!*/;') {
      this.endQuery();
      return;
    }
    // Session settings end with the /*!*/; marker on their own line; the statement stands alone before a bare marker.
    if (text.endsWith('/*!*/;')) return;
    if (text.startsWith('DELIMITER ')) return;
    this.query.push(text);
  }

  private endQuery(): void {
    const statement = this.query.join('\n').trim();
    this.query = [];
    if (!statement || SKIP.test(statement)) return;
    const kind = statementKind(statement);
    const at = this.epoch !== null ? new Date(this.epoch * 1000).toISOString() : this.headerIso();
    this.emit({
      at,
      source: 'mariadb-binlog',
      login: null,
      database: this.database,
      session: this.thread,
      ...kind,
      table: kind.table && !kind.table.includes('.') && this.database ? `${this.database}.${kind.table}` : kind.table,
      rows: null,
      statement: statement.slice(0, MAX_STATEMENT),
      line: this.eventLine,
    });
  }

  private headerIso(): string {
    return new Date(((this.headerSeconds ?? 0) + (this.offset ?? 0)) * 1000).toISOString();
  }

  private countRow(operation: 'DELETE' | 'INSERT' | 'UPDATE', quoted: string): void {
    const table = quoted
      .split('`.`')
      .map((p) => p.replace(/^`|`$/g, '').replace(/``/g, '`'))
      .join('.');
    const key = `${operation} ${table}`;
    const seen = this.rows.get(key);
    if (seen) seen.rows += 1;
    else this.rows.set(key, { operation, rows: 1, line: this.annotationLine || this.eventLine, at: this.headerIso() });
  }

  /** Row counts of one statement become one entry per table and operation, under the statement's annotation. */
  private emitRows(): void {
    const annotated = this.annotation.join('\n').trim();
    for (const [key, r] of this.rows) {
      const table = key.slice(r.operation.length + 1);
      const s: DbLogStatement = {
        at: r.at,
        source: 'mariadb-binlog',
        login: null,
        database: table.split('.')[0] ?? null,
        session: this.thread,
        operation: r.operation,
        destructive: r.operation !== 'INSERT',
        table,
        rows: r.rows,
        statement: (annotated || `${r.operation} of ${r.rows} ${r.rows === 1 ? 'row' : 'rows'} in ${table} (row events; no annotation)`).slice(0, MAX_STATEMENT),
        line: r.line,
      };
      if (this.offset === null) this.waiting.push(s);
      else this.emit(s);
    }
    this.rows = new Map();
    this.annotation = [];
    this.annotationLine = 0;
  }

  private shift(s: DbLogStatement): DbLogStatement {
    return { ...s, at: new Date(Date.parse(s.at) + (this.offset ?? 0) * 1000).toISOString() };
  }

  /** Emits what is still pending; without any Query event the header times are taken as UTC. */
  end(): boolean {
    if (this.rows.size) this.emitRows();
    const waiting = this.waiting;
    this.waiting = [];
    for (const s of waiting) this.emit(this.shift(s));
    return false;
  }
}
