/**
 * A line-fed lexer that follows plain SQL dump text far enough to say whether it ends between statements: quoted
 * strings, identifiers, comments, MySQL versioned comments and DELIMITER blocks, PostgreSQL dollar quotes, psql
 * meta-commands and COPY ... FROM stdin data. It keeps only counters and the head of the open statement, so a dump of
 * any size is checked in constant memory.
 */

export type SqlDialect = 'mysql' | 'postgresql';

/** What was still open when the text ended; null when it ended between statements. */
export interface OpenConstruct {
  kind: 'statement' | 'string' | 'identifier' | 'comment' | 'dollar-quote' | 'copy-data' | 'delimiter-block' | 'restrict';
  /** 1-based line where the open construct began. */
  line: number;
  /** The first words of the open statement (or the COPY target), for the message. */
  statement: string | null;
  statementLine: number | null;
}

type Mode = 'normal' | 'single' | 'double' | 'backtick' | 'block' | 'dollar' | 'copy';

const HEAD_LIMIT = 80;
const TAIL_LIMIT = 24;

export class SqlStatementScanner {
  statements = 0;
  createTables = 0;
  lines = 0;
  private mode: Mode = 'normal';
  private modeLine = 0;
  private dollarTag = '';
  private delimiter = ';';
  private delimiterLine = 0;
  private versioned = false;
  private open = false;
  private head = '';
  private tail = '';
  private headLine = 0;
  private restrictKey: string | null = null;
  private restrictLine = 0;
  private copyTarget = '';

  constructor(private readonly dialect: SqlDialect) {}

  /** Feeds one line without its line terminator. */
  line(text: string): void {
    this.lines += 1;
    if (this.mode === 'copy') {
      if (text === '\\.') this.mode = 'normal';
      return;
    }
    if (this.mode === 'normal' && !this.open && this.metaCommand(text)) return;
    this.scan(text);
    // A newline separates words and ends a `--` comment; inside strings it is part of the value.
    if (this.mode === 'normal' && this.open) this.addHead(' ');
  }

  /** Lines such as `DELIMITER ;;` (mysql client) and `\connect db` (psql) are client commands, not SQL. */
  private metaCommand(text: string): boolean {
    const trimmed = text.trimStart();
    if (this.dialect === 'mysql') {
      const d = /^delimiter\s+(\S+)/i.exec(trimmed);
      if (d?.[1]) {
        this.delimiter = d[1];
        this.delimiterLine = this.lines;
        return true;
      }
      return false;
    }
    if (!trimmed.startsWith('\\')) return false;
    const restrict = /^\\(un)?restrict\s+(\S+)/.exec(trimmed);
    if (restrict?.[2]) {
      if (restrict[1] === undefined) {
        this.restrictKey = restrict[2];
        this.restrictLine = this.lines;
      } else if (restrict[2] === this.restrictKey) this.restrictKey = null;
    }
    return true;
  }

  private addHead(s: string): void {
    // The end of the statement too: `COPY t (a long column list) FROM stdin` says what follows only at its end.
    this.tail = (this.tail + s).slice(-TAIL_LIMIT);
    if (this.head.length >= HEAD_LIMIT) return;
    if (s === ' ' && (this.head === '' || this.head.endsWith(' '))) return;
    this.head += s;
  }

  private begin(): void {
    if (!this.open) {
      this.open = true;
      this.head = '';
      this.tail = '';
      this.headLine = this.lines;
    }
  }

  private endStatement(): void {
    this.statements += 1;
    const head = this.head.trim();
    if (/^create\s+(unlogged\s+|temporary\s+)?table\b/i.test(head)) this.createTables += 1;
    const copyTarget = /^copy\s+(\S+)/i.exec(head)?.[1];
    const fromStdin = /\bfrom\s+stdin$/i.test(this.tail.trim());
    this.open = false;
    this.head = '';
    this.tail = '';
    if (copyTarget !== undefined && fromStdin && this.dialect === 'postgresql') {
      this.mode = 'copy';
      this.modeLine = this.lines;
      this.copyTarget = copyTarget;
      this.headLine = this.lines;
    }
  }

  private enter(mode: Mode): void {
    this.mode = mode;
    this.modeLine = this.lines;
  }

  private scan(text: string): void {
    let i = 0;
    const n = text.length;
    const mysql = this.dialect === 'mysql';
    while (i < n) {
      switch (this.mode) {
        case 'single':
        case 'double':
        case 'backtick': {
          const quote = this.mode === 'single' ? "'" : this.mode === 'double' ? '"' : '`';
          // MySQL strings take backslash escapes; PostgreSQL's only in E'' strings, which pg_dump does not write.
          const backslash = mysql && quote !== '`';
          const start = i;
          let closed = false;
          while (i < n) {
            const c = text[i];
            if (backslash && c === '\\') i += 2;
            else if (c === quote) {
              if (text[i + 1] === quote) i += 2;
              else {
                i += 1;
                closed = true;
                break;
              }
            } else i += 1;
          }
          if (this.head.length < HEAD_LIMIT) this.head += text.slice(start, Math.min(i, start + HEAD_LIMIT - this.head.length));
          this.tail = (this.tail + text.slice(Math.max(start, i - TAIL_LIMIT), i)).slice(-TAIL_LIMIT);
          if (closed) this.mode = 'normal';
          break;
        }
        case 'block': {
          const end = text.indexOf('*/', i);
          if (end < 0) return;
          i = end + 2;
          this.mode = 'normal';
          break;
        }
        case 'dollar': {
          const end = text.indexOf(this.dollarTag, i);
          if (end < 0) return;
          i = end + this.dollarTag.length;
          this.mode = 'normal';
          break;
        }
        case 'copy':
          return;
        case 'normal':
          i = this.scanNormal(text, i);
          break;
      }
    }
  }

  /** Scans code up to the next mode change; returns where to continue. */
  private scanNormal(text: string, from: number): number {
    const n = text.length;
    const mysql = this.dialect === 'mysql';
    const delim = this.delimiter;
    let i = from;
    while (i < n) {
      const c = text[i] as string;
      const next = text[i + 1];
      if (text.startsWith(delim, i)) {
        if (this.open) this.endStatement();
        i += delim.length;
        if (this.mode !== 'normal') return n;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') {
        this.begin();
        this.addHead(c);
        this.enter(c === "'" ? 'single' : c === '"' ? 'double' : 'backtick');
        return i + 1;
      }
      if (c === '-' && next === '-') return n;
      if (mysql && c === '#') return n;
      if (c === '/' && next === '*') {
        const bang = /^\/\*M?!\d*/.exec(text.slice(i, i + 12));
        if (mysql && bang) {
          // A versioned comment is code the server runs; only its closing `*/` is syntax.
          this.begin();
          this.versioned = true;
          i += bang[0].length;
          continue;
        }
        this.enter('block');
        return i + 2;
      }
      if (c === '*' && next === '/' && this.versioned) {
        this.versioned = false;
        i += 2;
        continue;
      }
      if (c === '$' && !mysql) {
        const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
        const prev = i > 0 ? text[i - 1] : ' ';
        if (tag && !/[A-Za-z0-9_]/.test(prev ?? ' ')) {
          this.begin();
          this.addHead(tag[0]);
          this.dollarTag = tag[0];
          this.enter('dollar');
          return i + tag[0].length;
        }
      }
      if (c === ' ' || c === '\t' || c === '\r') {
        if (this.open) this.addHead(' ');
      } else {
        this.begin();
        this.addHead(c);
      }
      i += 1;
    }
    return i;
  }

  /** What is still open at the end of the text, innermost first; null when the text ends between statements. */
  openConstruct(): OpenConstruct | null {
    const statement = this.head.trim() ? this.head.trim() : null;
    const at = { statement, statementLine: this.open ? this.headLine : null };
    switch (this.mode) {
      case 'single':
        return { kind: 'string', line: this.modeLine, ...at };
      case 'double':
      case 'backtick':
        return { kind: 'identifier', line: this.modeLine, ...at };
      case 'block':
        return { kind: 'comment', line: this.modeLine, ...at };
      case 'dollar':
        return { kind: 'dollar-quote', line: this.modeLine, ...at };
      case 'copy':
        return { kind: 'copy-data', line: this.modeLine, statement: this.copyTarget, statementLine: this.modeLine };
      case 'normal':
        break;
    }
    if (this.open) return { kind: 'statement', line: this.headLine, ...at };
    if (this.delimiter !== ';') return { kind: 'delimiter-block', line: this.delimiterLine, statement: `DELIMITER ${this.delimiter}`, statementLine: null };
    if (this.restrictKey !== null) return { kind: 'restrict', line: this.restrictLine, statement: null, statementLine: null };
    return null;
  }
}

/** Says in words what was open, e.g. `inside a quoted string begun at line 40, in the statement begun at line 39 (INSERT INTO ...)`. */
export function describeOpen(o: OpenConstruct): string {
  const stmt = o.statement && o.statementLine !== null ? `, in the statement begun at line ${o.statementLine} (${o.statement}…)` : '';
  switch (o.kind) {
    case 'string':
      return `inside a quoted string begun at line ${o.line}${stmt}`;
    case 'identifier':
      return `inside a quoted name begun at line ${o.line}${stmt}`;
    case 'comment':
      return `inside a /* comment */ begun at line ${o.line}${stmt}`;
    case 'dollar-quote':
      return `inside a dollar-quoted body begun at line ${o.line}${stmt}`;
    case 'copy-data':
      return `inside the COPY data of ${o.statement ?? 'a table'} begun at line ${o.line}, without its terminating "\\." line`;
    case 'statement':
      return `in the middle of the statement begun at line ${o.line} (${o.statement ?? ''}…), which has no closing delimiter`;
    case 'delimiter-block':
      return `inside the "${o.statement ?? 'DELIMITER'}" block begun at line ${o.line}, which is never set back to ";"`;
    case 'restrict':
      return `without the "\\unrestrict" that closes the "\\restrict" of line ${o.line}`;
  }
}
