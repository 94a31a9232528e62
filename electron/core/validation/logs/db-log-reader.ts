import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { DbLogSource, DbLogStatement } from '../../../shared/validation';
import { cancelledError, throwIfAborted } from '../adapters/adapter';
import { BinlogTextReader } from './binlog-text';
import { CsvLogReader, StderrLogReader, pgTime } from './postgres-log';

/** Which log a file is, from its first lines; null when it is none Firebreak reads. */
export async function detectDbLog(path: string): Promise<DbLogSource | null> {
  const fh = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
  const lines = head.split('\n').slice(0, 60);
  if (lines.some((l) => /^#\d{6}\s+\d{1,2}:\d{2}:\d{2}\s+server id\s+\d+\s+end_log_pos/.test(l))) return 'mariadb-binlog';
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const stamp = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? ?\S*?),/.exec(first);
  if (stamp?.[1] && pgTime(stamp[1])) return 'postgresql-csvlog';
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(first) && lines.some((l) => /\b(LOG|ERROR|STATEMENT|FATAL):\s/.test(l))) return 'postgresql-stderr';
  return null;
}

export interface DbLogReadResult {
  source: DbLogSource | null;
  problem: string | null;
}

/** Streams a log file through the reader for its kind; each statement goes to `emit` as it is found. */
export async function readDbLog(path: string, emit: (s: DbLogStatement) => void, o: { signal?: AbortSignal | undefined; logins?: readonly string[] } = {}): Promise<DbLogReadResult> {
  const source = await detectDbLog(path);
  if (!source) {
    return {
      source: null,
      problem:
        'not a database log Firebreak reads: give the text of `mariadb-binlog -vv --base64-output=DECODE-ROWS` (or mysqlbinlog), a PostgreSQL csvlog file, or a PostgreSQL stderr log whose line prefix begins with the time',
    };
  }
  const logins = o.logins?.length ? new Set(o.logins) : null;
  const keep = (s: DbLogStatement) => {
    if (!logins || s.login === null || logins.has(s.login)) emit(s);
  };
  const reader = source === 'mariadb-binlog' ? new BinlogTextReader(keep) : source === 'postgresql-csvlog' ? new CsvLogReader(keep) : new StderrLogReader(keep);
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const onAbort = () => input.destroy(cancelledError());
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) reader.feed(line);
  } catch (e) {
    throwIfAborted(o.signal);
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  throwIfAborted(o.signal);
  const cut = reader.end();
  if (reader instanceof CsvLogReader && (cut || reader.badRecords)) {
    return { source, problem: `${cut ? 'the file ends inside a quoted field (cut short); ' : ''}${reader.badRecords} records were not csvlog records and were skipped` };
  }
  return { source, problem: null };
}
