import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The real servers of this machine (see the brief): PostgreSQL with trust auth, MariaDB root without password. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const MARIA = { host: '127.0.0.1', port: 3306, user: 'root' };
export const REFERENCE = '/work/shared/reference/db';

const run = promisify(execFile);

/** A database name no other test (or run) uses. */
export const uniqueName = (prefix: string) => `fb_${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;

export const pgUrl = (db: string, extra = '') => `postgres://${PG.user}@${PG.host}:${PG.port}/${db}${extra}`;
export const mariaUrl = (db: string, extra = '') => `mysql://${MARIA.user}@${MARIA.host}:${MARIA.port}/${db}${extra}`;

export async function pgQuery(db: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ ...PG, database: db });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

export async function createPgDb(): Promise<string> {
  const name = uniqueName('pg');
  await pgQuery('test', `CREATE DATABASE ${name}`);
  return name;
}

/** A new database holding the Pagila reference (schema, then data). */
export async function createPagilaDb(): Promise<string> {
  const name = await createPgDb();
  await psql(name, readFileSync(`${REFERENCE}/pagila/pagila-schema.sql`, 'utf8'));
  await psql(name, readFileSync(`${REFERENCE}/pagila/pagila-data.sql`, 'utf8'));
  return name;
}

export async function dropPgDb(name: string): Promise<void> {
  await pgQuery('test', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Feeds SQL to psql (COPY blocks and meta-commands of the reference dumps need it), stopping at the first error. */
export async function psql(db: string, sql: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', db], { maxBuffer: 64 * 1024 * 1024 }, (e, _out, err) =>
      e ? reject(new Error(`psql failed: ${err || e.message}`)) : resolve(),
    );
    child.stdin?.end(sql);
  });
}

export async function mariaConnection(db?: string): Promise<mysql.Connection> {
  return mysql.createConnection({ ...MARIA, ...(db ? { database: db } : {}), multipleStatements: true, charset: 'UTF8MB4_GENERAL_CI' });
}

export async function mariaQuery(db: string | undefined, sql: string, params: unknown[] = []): Promise<unknown> {
  const c = await mariaConnection(db);
  try {
    const [rows] = await c.query(sql, params);
    return rows;
  } finally {
    await c.end();
  }
}

export async function createMariaDb(): Promise<string> {
  const name = uniqueName('my');
  await mariaQuery(undefined, `CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  return name;
}

export async function dropMariaDb(name: string): Promise<void> {
  await mariaQuery(undefined, `DROP DATABASE IF EXISTS ${name}`);
}

/** Feeds SQL to the mariadb client (DELIMITER blocks of the reference dumps need it). A dump with BLOBs goes as bytes. */
export async function mariadbCli(db: string, sql: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('mariadb', ['--default-character-set=utf8mb4', '-h', MARIA.host, '-P', String(MARIA.port), '-u', MARIA.user, db], { maxBuffer: 64 * 1024 * 1024 }, (e, _out, err) =>
      e ? reject(new Error(`mariadb failed: ${err || e.message}`)) : resolve(),
    );
    child.stdin?.end(sql);
  });
}

export const tool = (cmd: string, args: string[]) => run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });

/** Reference row counts of one dump from ROWCOUNTS.csv, as a table,rows CSV. */
export function rowcountsCsv(file: string): string {
  const lines = readFileSync(`${REFERENCE}/ROWCOUNTS.csv`, 'utf8').split('\n');
  return ['table,rows', ...lines.filter((l) => l.startsWith(`${file},`)).map((l) => l.split(',').slice(1, 3).join(','))].join('\n');
}

/** Chinook for PostgreSQL, without its own DROP/CREATE DATABASE and \c, to load into a test database. */
export const chinookPgSql = () =>
  readFileSync(`${REFERENCE}/chinook/Chinook_PostgreSql.sql`, 'utf8')
    .split('\n')
    .filter((l) => !/^(DROP DATABASE|CREATE DATABASE|\\c )/i.test(l.trim()))
    .join('\n');

export const chinookMysqlSql = () =>
  readFileSync(`${REFERENCE}/chinook/Chinook_MySql.sql`, 'utf8')
    .split('\n')
    .filter((l) => !/^(DROP DATABASE|CREATE DATABASE|USE )/i.test(l.trim()))
    .join('\n');

/** A TCP server that accepts connections and never answers: a stalled host, for connect-timeout tests. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
