import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import { describeConnectError, describeTableError } from '../../../electron/core/validation/adapters/connect-errors';
import { type ServerTarget, parseTargetUrl, redactSecrets, redactUrls } from '../../../electron/core/validation/adapters/target-url';

const server = (url: string, o: Parameters<typeof parseTargetUrl>[1] = {}) => parseTargetUrl(url, o) as ServerTarget;

describe('parseTargetUrl', () => {
  it('reads a PostgreSQL URL and never shows its password', () => {
    const t = server('postgres://alice:s3cr%40t@db.example:6543/sales?sslmode=require');
    expect(t).toMatchObject({ engine: 'postgresql', host: 'db.example', port: 6543, user: 'alice', password: 's3cr@t', database: 'sales', tls: 'require' });
    expect(t.display).toBe('postgres://alice@db.example:6543/sales?sslmode=require');
    expect(t.display).not.toContain('s3cr');
  });

  it('accepts postgresql://, mysql:// and mariadb:// with their default ports', () => {
    expect(server('postgresql://u@h/d')).toMatchObject({ engine: 'postgresql', port: 5432 });
    expect(server('mysql://u@h/d')).toMatchObject({ engine: 'mysql', port: 3306, tls: 'off' });
    expect(server('mariadb://u@h:3307/d?ssl=true')).toMatchObject({ engine: 'mysql', port: 3307, tls: 'verify-full' });
    expect(server('mysql://u@h/d?ssl-mode=REQUIRED').tls).toBe('require');
    expect(server('postgres://u@[::1]:5433/d').host).toBe('::1');
  });

  it('takes the password from the URL first, then the form, then PGPASSWORD / MYSQL_PWD', () => {
    const env = { PGPASSWORD: 'from-env', MYSQL_PWD: 'my-env' };
    expect(server('postgres://u:url@h/d', { password: 'form', env }).password).toBe('url');
    expect(server('postgres://u@h/d', { password: 'form', env }).password).toBe('form');
    expect(server('postgres://u@h/d', { env }).password).toBe('from-env');
    expect(server('mysql://u@h/d', { env }).password).toBe('my-env');
    expect(server('mysql://u@h/d', {}).password).toBeUndefined();
  });

  it('resolves sqlite:PATH against the working directory', () => {
    expect(parseTargetUrl('sqlite:data/x.db', { cwd: '/srv' })).toEqual({ engine: 'sqlite', path: '/srv/data/x.db', display: 'sqlite:/srv/data/x.db' });
    expect(parseTargetUrl('sqlite:///abs/y.db')).toMatchObject({ path: '/abs/y.db' });
  });

  it('refuses bad URLs with a message naming the problem and no password', () => {
    const message = (url: string) => {
      try {
        parseTargetUrl(url);
      } catch (e) {
        expect(e).toBeInstanceOf(FirebreakError);
        expect((e as FirebreakError).code).toBe('bad-input');
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message('')).toMatch(/empty/);
    expect(message('oracle://u:pw@h/d')).toMatch(/unsupported scheme "oracle:"/);
    expect(message('oracle://u:pw@h/d')).not.toContain('pw');
    expect(message('mysql://u@h')).toMatch(/names no database/);
    expect(message('postgres://u@h/d?sslmode=maybe')).toMatch(/sslmode "maybe"/);
    expect(message('postgres://u@h/d?foo=1')).toMatch(/option "foo" is not supported/);
    expect(message('mysql://u@h/d?ssl=yes')).toMatch(/ssl .* true or false/);
    expect(message('postgres://u@h/d?connect_timeout=-1')).toMatch(/connect_timeout/);
    expect(message('sqlite:')).toMatch(/no path/);
  });
});

describe('redaction', () => {
  it('strips credentials from any URL in a text and replaces known secrets', () => {
    expect(redactUrls('failed: postgres://bob:hunter2@h/db and mysql://x:y@z/w')).toBe('failed: postgres://bob@h/db and mysql://x@z/w');
    // A password holding / or @ (not percent-encoded) is still hidden.
    expect(redactUrls('not a valid URL: postgres://bob:s3cr/et@h/db')).toBe('not a valid URL: postgres://bob@h/db');
    expect(redactUrls('postgres://bob:p@ss/w0rd@h/db')).not.toMatch(/ss\/w0rd|p@ss/);
    expect(redactSecrets('auth with hunter2 (hunter%202) failed', ['hunter2', 'hunter 2'])).toBe('auth with *** (***) failed');
  });
});

describe('connection errors', () => {
  const t = server('postgres://alice:pw-123@db.example:5432/sales', { env: {} });
  it('says wrong password, unknown database, refused, unreachable, TLS', () => {
    expect(describeConnectError({ code: '28P01', message: 'password authentication failed' }, t).message).toMatch(/wrong password for user "alice"/);
    expect(describeConnectError({ code: '3D000' }, t).message).toMatch(/no database "sales"/);
    expect(describeConnectError({ code: 'ECONNREFUSED' }, t).message).toMatch(/nothing is listening at db.example:5432/);
    expect(describeConnectError(new Error('Connection terminated due to connection timeout'), t).message).toMatch(/no answer from db.example:5432 within 8 s/);
    expect(describeConnectError(new Error('The server does not support SSL connections'), t).message).toMatch(/does not offer it/);
    expect(describeConnectError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, t).message).toMatch(/sslrootcert/);
  });
  it('never repeats the password even when the driver does', () => {
    const m = describeConnectError(new Error('bad config {"password":"pw-123"}'), t).message;
    expect(m).not.toContain('pw-123');
    expect(describeTableError(new Error('oops pw-123'), 'public.t', ['pw-123']).message).toBe('Table public.t cannot be read: oops ***');
  });
  it('asks for a password when none was given', () => {
    const noPw = server('mysql://root@h/d', { env: {} });
    expect(describeConnectError({ errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' }, noPw).message).toMatch(/MYSQL_PWD/);
  });
});
