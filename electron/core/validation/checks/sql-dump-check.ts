import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { SqlDumpCheck, SqlDumpTool } from '../../../shared/validation';
import { cancelledError, throwIfAborted } from '../adapters/adapter';
import { SqlStatementScanner, describeOpen, type SqlDialect } from './sql-statements';

/**
 * Reads a plain SQL dump to its end. mysqldump/mariadb-dump and pg_dump write a header naming themselves and a
 * completion line last; a dump cut short (disk full, killed job, partial copy) lacks the completion line and usually
 * ends inside a statement, so both are required before the dump is called whole.
 */

interface ToolHeader {
  tool: SqlDumpTool;
  version: string | null;
  dialect: SqlDialect;
  trailer: RegExp;
  trailerText: string;
}

const HEADER_LINES = 12;

function headerOf(line: string): ToolHeader | null {
  const my = /^-- (MySQL|MariaDB) dump (\S+(?:\s+Distrib\s+\S+?)?),?(?:\s|$)/.exec(line);
  if (my) {
    return {
      tool: my[1] === 'MariaDB' ? 'mariadb-dump' : 'mysqldump',
      version: my[2]?.replace(/\s+/g, ' ') ?? null,
      dialect: 'mysql',
      trailer: /^-- Dump completed\b/,
      trailerText: '-- Dump completed',
    };
  }
  if (/^-- PostgreSQL database cluster dump\s*$/.test(line)) {
    return { tool: 'pg_dumpall', version: null, dialect: 'postgresql', trailer: /^-- PostgreSQL database cluster dump complete\s*$/, trailerText: '-- PostgreSQL database cluster dump complete' };
  }
  if (/^-- PostgreSQL database dump\s*$/.test(line)) {
    return { tool: 'pg_dump', version: null, dialect: 'postgresql', trailer: /^-- PostgreSQL database dump complete\s*$/, trailerText: '-- PostgreSQL database dump complete' };
  }
  return null;
}

/** Without a known header the quoting rules are guessed from MySQL-only syntax near the top. */
function guessDialect(lines: string[]): SqlDialect {
  return lines.some((l) => l.includes('`') || l.includes('/*!')) ? 'mysql' : 'postgresql';
}

export interface SqlDumpReadOptions {
  compressed: boolean;
  signal?: AbortSignal | undefined;
}

/** Checks a plain SQL dump file (gzip-compressed when `compressed`); never throws for a damaged file, only reports it. */
export async function checkSqlDump(path: string, o: SqlDumpReadOptions): Promise<SqlDumpCheck> {
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let input: Readable = file;
  let streamError: Error | null = null;
  let bytes = 0;
  if (o.compressed) {
    const gunzip = createGunzip();
    file.on('error', (e) => gunzip.destroy(e));
    input = file.pipe(gunzip);
  }
  // Counted as read, so the end is exact whether or not the text ends with a newline.
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const onAbort = () => input.destroy(cancelledError());
  o.signal?.addEventListener('abort', onAbort, { once: true });

  let header: ToolHeader | null = null;
  let scanner: SqlStatementScanner | null = null;
  const pending: string[] = [];
  let trailerSeen = false;
  let statementsAtTrailer = -1;
  let lastStatementLine = 0;
  const feed = (s: SqlStatementScanner, line: string) => {
    const before = s.statements;
    s.line(line);
    if (s.statements !== before) lastStatementLine = s.lines;
    if (header?.trailer.test(line)) {
      trailerSeen = true;
      statementsAtTrailer = s.statements;
    }
  };
  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (scanner) {
        feed(scanner, line);
        continue;
      }
      // The tool's header sits in the first lines (after MariaDB's sandbox-mode comment and psql's blank `--`).
      header ??= headerOf(line);
      pending.push(line);
      if (header || pending.length >= HEADER_LINES) {
        const s = new SqlStatementScanner(header?.dialect ?? guessDialect(pending));
        scanner = s;
        for (const p of pending.splice(0)) feed(s, p);
      }
    }
  } catch (e) {
    streamError = e as Error;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  throwIfAborted(o.signal);
  if (!scanner) {
    const s = new SqlStatementScanner(guessDialect(pending));
    scanner = s;
    for (const p of pending.splice(0)) feed(s, p);
  }
  const open = scanner.openConstruct();
  const trailer = trailerSeen && scanner.statements === statementsAtTrailer;
  const where = `at line ${scanner.lines} (byte ${bytes}${o.compressed ? ' of the uncompressed SQL' : ''})`;
  const base = {
    tool: header?.tool ?? null,
    toolVersion: header?.version ?? null,
    compressed: o.compressed,
    trailer,
    balanced: open === null && streamError === null,
    statements: scanner.statements,
    createTables: scanner.createTables,
    endLine: scanner.lines,
    endByte: bytes,
    openAtEnd: open ? describeOpen(open) : null,
  };
  let message: string | null = null;
  if (streamError) {
    message = `The gzip stream is damaged or cut short (${streamError.message}): the SQL ends ${where}.`;
  } else if (open) {
    message = `The dump ends ${where} ${describeOpen(open)}: it was cut short.`;
  } else if (!header) {
    message =
      'This SQL text does not begin with the header of mysqldump, mariadb-dump or pg_dump, so there is no completion line to prove it is whole ' +
      `(dumps made with --skip-comments or --compact have neither). It ends ${where}.`;
  } else if (!trailer) {
    const last = lastStatementLine > 0 ? ` after its last complete statement (line ${lastStatementLine})` : '';
    message =
      `The dump ends ${where}${last} without the "${header.trailerText}" line ${header.tool} writes last` +
      `${trailerSeen ? ' (it appears earlier, but statements follow it)' : ''}: it was cut short between statements or the dump did not finish.`;
  }
  return { ...base, ok: message === null, message };
}
