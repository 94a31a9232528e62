import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { devNull } from 'node:os';
import { createInterface } from 'node:readline';
import { constants, gunzipSync } from 'node:zlib';
import type { BackupCheck, BackupFormat, PgRestoreListing } from '../../../shared/validation';
import { FirebreakError, badInput } from '../../errors';
import { cancelledError, throwIfAborted } from '../adapters/adapter';
import { openSqlite } from '../adapters/sqlite-adapter';
import { checkSqlDump } from './sql-dump-check';

export interface BackupCheckOptions {
  /** The SHA-256 recorded when the backup was made (64 hex digits). */
  expectedSha256?: string | null | undefined;
  /** The pg_restore to run; default: the one on PATH. */
  pgRestore?: string | undefined;
  nativeBinding?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((bytesHashed: number, totalBytes: number) => void) | undefined;
  now?: () => Date;
}

/** pg_restore --list object types; the longest that prefixes an entry wins ("TABLE DATA" over "TABLE"). */
const PG_OBJECT_TYPES = [
  'ACCESS METHOD', 'ACL', 'AGGREGATE', 'BLOB', 'BLOB METADATA', 'BLOBS', 'CAST', 'CHECK CONSTRAINT', 'COLLATION', 'COMMENT',
  'CONSTRAINT', 'CONVERSION', 'DATABASE', 'DATABASE PROPERTIES', 'DEFAULT', 'DEFAULT ACL', 'DOMAIN', 'ENCODING',
  'EVENT TRIGGER', 'EXTENSION', 'FK CONSTRAINT', 'FOREIGN DATA WRAPPER', 'FOREIGN TABLE', 'FUNCTION', 'INDEX',
  'INDEX ATTACH', 'LARGE OBJECT', 'MATERIALIZED VIEW', 'MATERIALIZED VIEW DATA', 'OPERATOR', 'OPERATOR CLASS',
  'OPERATOR FAMILY', 'POLICY', 'PROCEDURAL LANGUAGE', 'PROCEDURE', 'PUBLICATION', 'PUBLICATION TABLE',
  'PUBLICATION TABLES IN SCHEMA', 'ROW SECURITY', 'RULE', 'SCHEMA', 'SEARCHPATH', 'SEQUENCE', 'SEQUENCE OWNED BY',
  'SEQUENCE SET', 'SERVER', 'SHELL TYPE', 'STATISTICS', 'STDSTRINGS', 'SUBSCRIPTION', 'TABLE', 'TABLE ATTACH',
  'TABLE DATA', 'TEXT SEARCH CONFIGURATION', 'TEXT SEARCH DICTIONARY', 'TEXT SEARCH PARSER', 'TEXT SEARCH TEMPLATE',
  'TRANSFORM', 'TRIGGER', 'TYPE', 'USER MAPPING', 'VIEW',
].sort((a, b) => b.length - a.length);

export function objectType(rest: string): string {
  return PG_OBJECT_TYPES.find((t) => rest === t || rest.startsWith(`${t} `)) ?? rest.split(' ')[0] ?? rest;
}

export async function sha256File(path: string, o: Pick<BackupCheckOptions, 'signal' | 'onProgress'> = {}): Promise<{ sha256: string; bytes: number }> {
  const total = statSync(path).size;
  const hash = createHash('sha256');
  let bytes = 0;
  let lastReport = 0;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const onAbort = () => stream.destroy(cancelledError());
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (bytes - lastReport >= 64 * 1024 * 1024) {
        lastReport = bytes;
        o.onProgress?.(bytes, total);
      }
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  throwIfAborted(o.signal);
  return { sha256: hash.digest('hex'), bytes };
}

/** Text without control characters (a cut multi-byte character at the end aside) that holds SQL words. */
function looksLikeSql(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/\uFFFD{1,3}$/, '');
  if (text.length === 0 || text.includes('\uFFFD')) return false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // Tab, line feed, vertical tab, form feed and carriage return are text; any other control character is not.
    if (c < 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return /(^|\n)\s*(--|\/\*|CREATE|INSERT|SET|COPY|DROP|BEGIN|START|USE|LOCK|SELECT|ALTER)/i.test(text);
}

/** Whether a gzip file holds SQL text, judged from the start of its content (a partial inflate of the first block). */
async function gzipHoldsSql(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = gunzipSync(buf.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH });
    return looksLikeSql(head.subarray(0, 512));
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

async function sniff(path: string): Promise<BackupFormat> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg-custom';
    if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return 'sqlite';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    // pg_dump -Ft: a tar archive whose first member is toc.dat.
    if (head.subarray(257, 262).toString('latin1') === 'ustar' && head.subarray(0, 7).toString('latin1') === 'toc.dat') return 'pg-tar';
    return looksLikeSql(head) ? 'sql-text' : 'unknown';
  } finally {
    await fh.close();
  }
}

interface Exit {
  code: number | null;
  stderr: string;
  missing: boolean;
}

/** Runs a program without a shell, feeding stdout lines to onLine (constant memory however long the listing). */
function runLines(cmd: string, args: string[], onLine: (line: string) => void, signal?: AbortSignal): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stderr = '';
    let missing = false;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    createInterface({ input: child.stdout }).on('line', onLine);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') missing = true;
    });
    child.on('close', (code) => resolve({ code, stderr: stderr.trim(), missing }));
  });
}

export async function pgRestoreList(path: string, o: Pick<BackupCheckOptions, 'pgRestore' | 'signal'> = {}): Promise<PgRestoreListing> {
  const bin = o.pgRestore ?? 'pg_restore';
  const objects: Record<string, number> = {};
  let tocEntries: number | null = null;
  let dumpedFrom: string | null = null;
  let database: string | null = null;
  let listed = 0;
  const list = await runLines(
    bin,
    // `--` so that a file whose name starts with '-' is never read as an option.
    ['--list', '--', path],
    (line) => {
      const entry = /^(\d+);\s+\d+\s+\d+\s+(.*)$/.exec(line);
      if (entry) {
        const type = objectType(entry[2] ?? '');
        objects[type] = (objects[type] ?? 0) + 1;
        listed += 1;
        return;
      }
      const header = /^;\s+(TOC Entries|Dumped from database version|dbname):\s*(.*)$/.exec(line);
      if (header?.[1] === 'TOC Entries') tocEntries = Number(header[2]);
      else if (header?.[1] === 'dbname') database = header[2] ?? null;
      else if (header?.[1] === 'Dumped from database version') dumpedFrom = header[2] ?? null;
    },
    o.signal,
  );
  throwIfAborted(o.signal);
  const base = { tocEntries, listedEntries: listed, objects, dumpedFrom, database };
  if (list.missing) {
    return { available: false, ok: false, ...base, readThrough: null, message: `${bin} is not installed: only the SHA-256 was checked.` };
  }
  if (list.code !== 0) {
    return { available: true, ok: false, ...base, readThrough: null, message: `pg_restore --list failed: ${list.stderr || `exit ${list.code}`}` };
  }
  // --list reads only the table of contents; restoring into the null device reads (and decompresses) every data block.
  const read = await runLines(bin, ['--file', devNull, '--', path], () => {}, o.signal);
  throwIfAborted(o.signal);
  if (read.code !== 0) {
    return { available: true, ok: false, ...base, readThrough: false, message: `pg_restore could not read the whole archive: ${read.stderr || `exit ${read.code}`}` };
  }
  return { available: true, ok: true, ...base, readThrough: true };
}

/** Checks a backup file: its SHA-256 against the recorded value, then what its format allows (pg_restore, integrity_check). */
export async function checkBackupFile(path: string, o: BackupCheckOptions = {}): Promise<BackupCheck> {
  const expected = o.expectedSha256?.trim().toLowerCase() || null;
  if (expected !== null && !/^[0-9a-f]{64}$/.test(expected)) {
    throw badInput(`The expected SHA-256 "${o.expectedSha256}" is not 64 hex digits.`);
  }
  try {
    if (!statSync(path).isFile()) throw badInput(`${path} is not a file; give the backup file itself (a directory-format dump: check its toc.dat).`);
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw badInput(`The backup file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}.`);
  }
  const format = await sniff(path);
  const { sha256, bytes } = await sha256File(path, o);
  const problems: string[] = [];
  const sha256Match = expected === null ? null : expected === sha256;
  if (sha256Match === false) problems.push(`SHA-256 differs from the recorded value: expected ${expected}, got ${sha256}.`);
  let pgRestore: PgRestoreListing | null = null;
  let sqliteIntegrity: BackupCheck['sqliteIntegrity'] = null;
  let sqlDump: BackupCheck['sqlDump'] = null;
  if (format === 'pg-custom' || format === 'pg-tar') {
    pgRestore = await pgRestoreList(path, o);
    if (pgRestore.available && !pgRestore.ok) problems.push(pgRestore.message ?? 'pg_restore failed');
  } else if (format === 'sqlite') {
    try {
      const adapter = openSqlite({ engine: 'sqlite', path, display: `sqlite:${path}` }, { nativeBinding: o.nativeBinding });
      try {
        const r = await adapter.integrityCheck([]);
        sqliteIntegrity = { ok: r.messages.length === 1 && r.messages[0] === 'ok', messages: r.messages };
      } finally {
        await adapter.close();
      }
    } catch (e) {
      sqliteIntegrity = { ok: false, messages: [(e as Error).message] };
    }
    if (!sqliteIntegrity.ok) problems.push(`PRAGMA integrity_check found problems: ${sqliteIntegrity.messages.slice(0, 5).join('; ')}`);
  } else if (format === 'sql-text' || (format === 'gzip' && (await gzipHoldsSql(path)))) {
    sqlDump = await checkSqlDump(path, { compressed: format === 'gzip', signal: o.signal });
    if (sqlDump.message) problems.push(sqlDump.message);
  } else if (format === 'gzip') {
    problems.push('This gzip file does not hold SQL text, and Firebreak cannot check what it holds: only its SHA-256 was computed.');
  } else {
    problems.push(
      'The file is not a backup format Firebreak can check (pg_dump custom or tar, a plain SQL dump from mysqldump, mariadb-dump or pg_dump, ' +
        'gzip-compressed SQL, or an SQLite database): only its SHA-256 was computed, and nothing shows it is a whole backup.',
    );
  }
  return {
    file: path,
    bytes,
    sha256,
    expectedSha256: expected,
    sha256Match,
    format,
    pgRestore,
    sqliteIntegrity,
    sqlDump,
    ok: problems.length === 0,
    problems,
    checkedAt: (o.now ?? (() => new Date()))().toISOString(),
  };
}
