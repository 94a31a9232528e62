import type { DbLogStatement } from '../../../shared/validation';
import { statementKind } from './statement-kind';

/**
 * Reads PostgreSQL server logs: `csvlog` files (one CSV record per message, possibly spanning lines) and plain
 * `stderr` logs whose line prefix starts with a time stamp. Statements come from `log_statement` messages
 * (`statement: ...`, `execute <name>: ...`) and from pgaudit's `AUDIT: SESSION|OBJECT,...` messages.
 */

const MAX_STATEMENT = 4000;

/** Splits one CSV record (RFC 4180: "" is a quote inside quotes). */
export function csvFields(record: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= record.length) {
    if (record[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = record.indexOf('"', i);
        if (q < 0) {
          value += record.slice(i);
          i = record.length;
          break;
        }
        value += record.slice(i, q);
        if (record[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i += 1; // the comma
    } else {
      const c = record.indexOf(',', i);
      const end = c < 0 ? record.length : c;
      out.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** The statement a log message carries, or null for other messages (connections, errors, durations alone). */
export function statementOf(message: string): string | null {
  const plain = /^(?:duration: [\d.]+ ms\s+)?(?:statement|execute [^:]*): ([\s\S]*)$/.exec(message);
  if (plain?.[1] !== undefined) return plain[1];
  if (message.startsWith('AUDIT: ')) {
    // AUDIT: type,statement id,substatement id,class,command,object type,object name,statement,parameter
    const f = csvFields(message.slice(7));
    return f[7] ?? null;
  }
  return null;
}

/** "2026-12-04 23:14:50.123 UTC" or "... +01" as ISO UTC; null when not a time stamp PostgreSQL writes. */
export function pgTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(UTC|GMT|Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) return null;
  const zone = !m[3] || m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : m[3].length === 3 ? `${m[3]}:00` : m[3];
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function statement(at: string, source: DbLogStatement['source'], text: string, line: number, who: { login: string | null; database: string | null; session: string | null }): DbLogStatement {
  const kind = statementKind(text);
  return { at, source, ...who, ...kind, rows: null, statement: text.trim().slice(0, MAX_STATEMENT), line };
}

/** csvlog: log_time, user_name, database_name, process_id, connection_from, session_id, ..., message (14th field). */
export class CsvLogReader {
  private pending: string[] = [];
  private quotes = 0;
  private line = 0;
  private startLine = 0;
  records = 0;
  badRecords = 0;

  constructor(private readonly emit: (s: DbLogStatement) => void) {}

  feed(text: string): void {
    this.line += 1;
    if (this.pending.length === 0) this.startLine = this.line;
    this.pending.push(text);
    for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) this.quotes += 1;
    if (this.quotes % 2 === 1) return;
    const record = this.pending.join('\n');
    this.pending = [];
    this.quotes = 0;
    this.record(record);
  }

  private record(record: string): void {
    const f = csvFields(record);
    const at = pgTime(f[0] ?? '');
    if (!at || f.length < 14) {
      this.badRecords += 1;
      return;
    }
    this.records += 1;
    const text = statementOf(f[13] ?? '');
    if (text === null) return;
    this.emit(statement(at, 'postgresql-csvlog', text, this.startLine, { login: f[1] || null, database: f[2] || null, session: f[5] || null }));
  }

  /** True when the file ended inside a quoted field (a cut-short log). */
  end(): boolean {
    return this.pending.length > 0;
  }
}

/**
 * stderr logs: `<prefix>LOG:  statement: ...` with continuation lines indented by a tab. The prefix must begin with a
 * time stamp (%m or %t); `user=%u`, `db=%d` and `%c` (session id) are picked up when log_line_prefix has them.
 */
export class StderrLogReader {
  private current: { at: string; text: string; line: number; who: { login: string | null; database: string | null; session: string | null } } | null = null;
  private line = 0;
  records = 0;

  constructor(private readonly emit: (s: DbLogStatement) => void) {}

  feed(text: string): void {
    this.line += 1;
    if (text.startsWith('\t') && this.current) {
      this.current.text += `\n${text.slice(1)}`;
      return;
    }
    this.flush();
    const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? ?(?:UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)\s*(.*?)(?:LOG|NOTICE|INFO):\s+(.*)$/.exec(text);
    if (!m) return;
    const at = pgTime(m[1] ?? '');
    if (!at) return;
    this.records += 1;
    const prefix = m[2] ?? '';
    const who = {
      login: /\buser=([^\s,@]+)/.exec(prefix)?.[1] ?? /(?:^|\s)([^\s@[\]]+)@[^\s]+/.exec(prefix)?.[1] ?? null,
      database: /\bdb=([^\s,]+)/.exec(prefix)?.[1] ?? /@([^\s[\]]+)/.exec(prefix)?.[1] ?? null,
      session: /\b([0-9a-f]+\.[0-9a-f]+)\b/.exec(prefix)?.[1] ?? null,
    };
    this.current = { at, text: m[3] ?? '', line: this.line, who };
  }

  private flush(): void {
    const c = this.current;
    this.current = null;
    if (!c) return;
    const text = statementOf(c.text);
    if (text !== null) this.emit(statement(c.at, 'postgresql-stderr', text, c.line, c.who));
  }

  end(): boolean {
    this.flush();
    return false;
  }
}
