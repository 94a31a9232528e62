import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Database servers a test starts for itself, so it can switch on what the shared servers do not have: a MariaDB with
 * row-based binary logging, a PostgreSQL cluster logging every statement to csvlog. Each lives in the test's temp dir.
 */

const run = promisify(execFile);
/** The server binaries of the installed PostgreSQL (initdb and pg_ctl are not on PATH on Debian). */
const PG_BIN = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1) ?? '15', 'bin');
const isRoot = process.getuid?.() === 0;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Retries `probe` until the server answers (its readiness is the signal; the caller's test timeout bounds it). */
async function untilReady(probe: () => Promise<void>, child: ChildProcess, log: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${log()}`);
    try {
      await probe();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export interface BinlogMariaDb {
  port: number;
  /** The first binary log file. */
  binlog: string;
  query(sql: string): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startMariaDbWithBinlog(dir: string): Promise<BinlogMariaDb> {
  const data = join(dir, 'data');
  const user = isRoot ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db'], { maxBuffer: 16 * 1024 * 1024 });
  const port = await freePort();
  let log = '';
  const child = spawn(
    'mariadbd',
    ['--no-defaults', `--datadir=${data}`, ...user, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'sock')}`, `--pid-file=${join(dir, 'pid')}`,
      `--log-bin=${join(dir, 'binlog')}`, '--binlog-format=ROW', '--server-id=1', '--skip-name-resolve'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const connect = () => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', multipleStatements: true });
  await untilReady(async () => (await connect()).end(), child, () => log);
  return {
    port,
    binlog: join(dir, 'binlog.000001'),
    async query(sql) {
      const c = await connect();
      try {
        return (await c.query(sql))[0];
      } finally {
        await c.end();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoggingPostgres {
  port: number;
  /** The csvlog file every statement is written to. */
  csvlog: string;
  query(sql: string, user?: string, database?: string): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

/** initdb refuses to run as root: as root the cluster belongs to the postgres user. */
const asOwner = (cmd: string, args: string[]) => (isRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));

export async function startLoggingPostgres(dir: string): Promise<LoggingPostgres> {
  const root = join(dir, 'pg');
  // The postgres user must pass through the test's own (root-only) temp dir to reach its cluster.
  if (isRoot) chmodSync(dir, 0o711);
  mkdirSync(root, { mode: 0o700 });
  if (isRoot) chownSync(root, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
  const data = join(root, 'data');
  await asOwner(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`, `-k ${root}`, "-c listen_addresses=127.0.0.1", '-c logging_collector=on', '-c log_destination=csvlog',
    `-c log_directory=${join(root, 'log')}`, '-c log_filename=postgres.log', '-c log_statement=all', '-c fsync=off',
  ].join(' ');
  await asOwner(`${PG_BIN}/pg_ctl`, ['-D', data, '-o', settings, '-l', join(root, 'server.log'), '-w', 'start']);
  return {
    port,
    csvlog: join(root, 'log', 'postgres.csv'),
    async query(sql, user = 'postgres', database = 'postgres') {
      const c = new pg.Client({ host: '127.0.0.1', port, user, database });
      await c.connect();
      try {
        return await c.query(sql);
      } finally {
        await c.end();
      }
    },
    stop: async () => {
      await asOwner(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
    },
  };
}
