import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { PASSWORD_PARAMS } from '../../../shared/url-secrets';
import { badInput } from '../../errors';
import { type DynamoTarget, parseDynamoUrl } from './dynamodb-target';

/**
 * A database to validate, parsed from a URL. The password lives only in this object (in memory) and is never part of
 * `display`, which is what every message, result, baseline and ledger entry shows.
 */
export type TargetSpec = SqliteTarget | ServerTarget | DynamoTarget;

/** Targets reached over a database protocol with a user and password (not a file, not AWS credentials). */
export const isServerTarget = (t: TargetSpec): t is ServerTarget => t.engine === 'postgresql' || t.engine === 'mysql';

export interface SqliteTarget {
  engine: 'sqlite';
  path: string;
  display: string;
}

export type TlsMode = 'off' | 'require' | 'verify-ca' | 'verify-full';

export interface ServerTarget {
  engine: 'postgresql' | 'mysql';
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  tls: TlsMode;
  /** A CA bundle to trust (sslrootcert / ssl-ca), read when connecting. */
  caFile: string | undefined;
  /** Unix socket directory (PostgreSQL ?host=/run/postgresql). */
  socketDir: string | undefined;
  connectTimeoutMs: number;
  display: string;
}

export interface ParseOptions {
  /** An explicit password (the wizard's form); wins over the environment, loses to one in the URL. */
  password?: string;
  /** PGPASSWORD / MYSQL_PWD / PGUSER are read from here (the CLI passes its environment; the Api passes none). */
  env?: NodeJS.ProcessEnv;
  /** Relative sqlite: paths resolve against this. */
  cwd?: string;
}

/** An unreachable host must be reported well within 10 seconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 8000;

const PG_PARAMS = ['sslmode', 'sslrootcert', 'connect_timeout', 'host', 'application_name'];
const MYSQL_PARAMS = ['ssl', 'ssl-mode', 'sslmode', 'ssl-ca', 'sslca', 'connect_timeout', 'connectTimeout'];

const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
};

/** Removes `user:password@` credentials from any URL-looking text, so a message can never carry a password. */
export function redactUrls(text: string): string {
  // Greedy to the last @ of the token: a password may itself hold / or @ (over-redacting is the safe side).
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):\S*@/gi, '$1$2@');
}

/** Replaces known secrets (raw and URL-encoded) wherever they appear in a message, then strips URL credentials. */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 2) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return redactUrls(out);
}

export function parseTargetUrl(raw: string, o: ParseOptions = {}): TargetSpec {
  const url = raw.trim();
  if (!url) throw badInput('The database URL is empty: give postgres://..., mysql://..., dynamodb://REGION or sqlite:PATH.');
  if (/^sqlite:/i.test(url)) return parseSqlite(url, o);
  if (/^dynamodb:\/\//i.test(url)) return parseDynamoUrl(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const engine =
    scheme === 'postgres' || scheme === 'postgresql'
      ? 'postgresql'
      : scheme === 'mysql' || scheme === 'mariadb'
        ? 'mysql'
        : undefined;
  if (!engine) {
    throw badInput(
      `The database URL "${redactUrls(url)}" has ${scheme ? `the unsupported scheme "${scheme}:"` : 'no scheme'}.`,
      ['Use postgres://user@host:5432/db, postgresql://..., mysql://user@host:3306/db, mariadb://..., dynamodb://REGION[/TABLE] or sqlite:PATH.'],
    );
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badInput(`The database URL "${redactUrls(url)}" is not a valid URL.`, [
      'Characters such as @ : / ? # in a user name or password must be percent-encoded (e.g. @ as %40).',
    ]);
  }
  const env = o.env ?? {};
  const params = new Map<string, string>();
  const allowed = engine === 'postgresql' ? PG_PARAMS : MYSQL_PARAMS;
  for (const [k, v] of u.searchParams) {
    if (PASSWORD_PARAMS.includes(k.toLowerCase())) {
      throw badInput(`The database URL carries a password in its query parameter "${k}": leave it out of the URL.`, [
        'Give the password in the password field, or in PGPASSWORD / MYSQL_PWD for the CLI; a URL is recorded, a password must not be.',
      ]);
    }
    if (!allowed.includes(k)) {
      throw badInput(`The database URL option "${k}" is not supported for ${engine}.`, [`Supported: ${allowed.join(', ')}.`]);
    }
    params.set(k, v);
  }
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badInput(`The ${what} in the database URL has a broken %-escape.`);
    }
  };
  const user = u.username
    ? decode(u.username, 'user name')
    : (engine === 'postgresql' ? env.PGUSER : env.MYSQL_USER) ?? osUser();
  const password = u.password
    ? decode(u.password, 'password')
    : (o.password ?? (engine === 'postgresql' ? env.PGPASSWORD : env.MYSQL_PWD));
  const database = decode(u.pathname.replace(/^\//, ''), 'database name') || (engine === 'postgresql' ? (env.PGDATABASE ?? user) : '');
  if (!database) {
    throw badInput(`The MySQL/MariaDB URL "${redactUrls(url)}" names no database: write mysql://user@host:3306/DATABASE.`);
  }
  if (database.includes('/')) throw badInput(`The database name "${database}" in the URL must not contain "/".`);
  const port = u.port ? Number(u.port) : engine === 'postgresql' ? 5432 : 3306;
  const timeoutParam = params.get('connect_timeout') ?? params.get('connectTimeout');
  let connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  if (timeoutParam !== undefined) {
    const secs = Number(timeoutParam);
    if (!Number.isFinite(secs) || secs <= 0 || secs > 600) {
      throw badInput(`connect_timeout in the database URL must be a number of seconds between 0 and 600, got "${timeoutParam}".`);
    }
    connectTimeoutMs = Math.round(secs * 1000);
  }
  const tls = engine === 'postgresql' ? pgTls(params.get('sslmode')) : mysqlTls(params);
  const caFile = params.get('sslrootcert') ?? params.get('ssl-ca') ?? params.get('sslca');
  const socketDir = engine === 'postgresql' && params.get('host')?.startsWith('/') ? params.get('host') : undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || (socketDir ? 'localhost' : '127.0.0.1');
  const display = redactUrls(`${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}${u.search}`);
  return { engine, host, port, user, password, database, tls, caFile, socketDir, connectTimeoutMs, display };
}

function parseSqlite(url: string, o: ParseOptions): SqliteTarget {
  const rest = url.replace(/^sqlite:(\/\/)?/i, '');
  if (!rest) throw badInput('The SQLite URL has no path: write sqlite:PATH, e.g. sqlite:./restored.db.');
  const path = resolve(o.cwd ?? process.cwd(), rest);
  return { engine: 'sqlite', path, display: `sqlite:${path}` };
}

function pgTls(mode: string | undefined): TlsMode {
  switch (mode ?? 'disable') {
    // node-postgres has no opportunistic TLS: 'allow' and 'prefer' connect in the clear (docs/validation-checksum.md).
    case 'disable':
    case 'allow':
    case 'prefer':
      return 'off';
    case 'require':
      return 'require';
    case 'verify-ca':
      return 'verify-ca';
    case 'verify-full':
      return 'verify-full';
    default:
      throw badInput(`sslmode "${mode}" is not one of disable, allow, prefer, require, verify-ca, verify-full.`);
  }
}

function mysqlTls(params: Map<string, string>): TlsMode {
  const mode = (params.get('ssl-mode') ?? params.get('sslmode'))?.toUpperCase();
  if (mode !== undefined) {
    const byMode: Record<string, TlsMode> = {
      DISABLED: 'off',
      PREFERRED: 'off',
      REQUIRED: 'require',
      VERIFY_CA: 'verify-ca',
      VERIFY_IDENTITY: 'verify-full',
    };
    const tls = byMode[mode];
    if (!tls) throw badInput(`ssl-mode "${mode}" is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY.`);
    return tls;
  }
  const ssl = params.get('ssl');
  if (ssl === undefined || ssl === 'false' || ssl === '0') return 'off';
  if (ssl === 'true' || ssl === '1') return 'verify-full';
  throw badInput(`ssl in the database URL must be true or false, got "${ssl}".`);
}
