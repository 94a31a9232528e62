import { FirebreakError } from '../../errors';
import { type ServerTarget, redactSecrets } from './target-url';

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
}

const where = (t: ServerTarget) => (t.socketDir ? `${t.socketDir} (socket)` : `${t.host}:${t.port}`);

/**
 * Turns a driver's connection failure into one sentence a responder can act on. Every message goes through
 * redactSecrets, so not even a driver that echoes its configuration can leak the password.
 */
export function describeConnectError(e: unknown, t: ServerTarget): FirebreakError {
  const err = (e ?? {}) as DriverError;
  const code = String(err.code ?? '');
  const raw = redactSecrets(err.message ?? String(e), [t.password]);
  const at = where(t);
  const msg = (text: string, c: 'unavailable' | 'bad-input' = 'unavailable') => new FirebreakError(c, redactSecrets(text, [t.password]));
  if (code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' || err.errno === 1045) {
    return msg(
      t.password === undefined
        ? `${t.display}: the server refused user "${t.user}" without a password; put it in the URL or set ${t.engine === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD'}.`
        : `${t.display}: wrong password for user "${t.user}" (the server at ${at} refused it).`,
    );
  }
  if (code === '28000') return msg(`${t.display}: the server at ${at} does not let user "${t.user}" connect: ${raw}`);
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || err.errno === 1049) {
    return msg(`${t.display}: there is no database "${t.database}" on the server at ${at}.`);
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR' || err.errno === 1044) {
    return msg(`${t.display}: user "${t.user}" may not use database "${t.database}".`);
  }
  if (code === 'ECONNREFUSED') return msg(`${t.display}: nothing is listening at ${at} (connection refused). Is the database server running?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return msg(`${t.display}: the host name "${t.host}" cannot be resolved (DNS).`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return msg(`${t.display}: the host ${t.host} cannot be reached (no route).`);
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(raw)) {
    return msg(
      `${t.display}: no answer from ${at} within ${Math.round(t.connectTimeoutMs / 1000)} s; the host is unreachable or a firewall drops the traffic.`,
    );
  }
  if (code === 'ENOENT' && t.socketDir) return msg(`${t.display}: there is no server socket in ${t.socketDir}.`);
  if (/does not support SSL|HANDSHAKE_NO_SSL_SUPPORT|server does not support secure/i.test(`${code} ${raw}`)) {
    return msg(`${t.display}: TLS was required but the server at ${at} does not offer it. Remove the TLS option or enable TLS on the server.`);
  }
  if (/CERT|certificate|self[- ]signed/i.test(`${code} ${raw}`)) {
    return msg(
      `${t.display}: the server's TLS certificate was not accepted (${raw}). Give the CA with ${t.engine === 'postgresql' ? 'sslrootcert=PATH' : 'ssl-ca=PATH'}, or use ${t.engine === 'postgresql' ? 'sslmode=require' : 'ssl-mode=REQUIRED'} to encrypt without verifying.`,
    );
  }
  if (code === '53300' || err.errno === 1040) return msg(`${t.display}: the server at ${at} has too many connections; try again shortly.`);
  if (code === '57P03') return msg(`${t.display}: the server at ${at} is starting up or shutting down; try again shortly.`);
  return msg(`${t.display}: cannot connect to ${at}: ${raw}`);
}

/** A per-table failure (permission denied, a damaged page...): reported for that table while the others go on. */
export function describeTableError(e: unknown, table: string, secrets: Array<string | undefined>): FirebreakError {
  if (e instanceof FirebreakError) return e;
  const err = (e ?? {}) as DriverError;
  const raw = redactSecrets(err.message ?? String(e), secrets);
  const code = String(err.code ?? '');
  if (code === '42501' || code === 'ER_TABLEACCESS_DENIED_ERROR' || err.errno === 1142 || err.errno === 1143) {
    return new FirebreakError('unavailable', `Table ${table} may not be read by this user: ${raw}`);
  }
  return new FirebreakError('unavailable', `Table ${table} cannot be read: ${raw}`);
}
