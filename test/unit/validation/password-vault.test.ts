import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import { type ServerTarget, parseTargetUrl } from '../../../electron/core/validation/adapters/target-url';
import { PasswordVault, passwordVaultPath, serverKey, serverKeyOfUrl } from '../../../electron/core/validation/credentials/password-vault';
import { tempDir } from '../../helpers/temp';
import { testSealer } from '../../helpers/test-sealer';

const server = (url: string) => parseTargetUrl(url, { env: {} }) as ServerTarget;
const at = new Date('2026-11-21T09:00:00Z');
const PASSWORD = 'correct horse battery staple \u00e9\u00df';

describe('remembered database passwords', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    dir = tempDir();
    path = passwordVaultPath(dir.path);
  });
  afterEach(() => dir.cleanup());

  it('keeps one password per server and user, for every database on that server', () => {
    const vault = new PasswordVault(path, testSealer());
    const entry = vault.remember(server('postgres://app_ro@DB.internal:5432/orders'), PASSWORD, 'Dana Reyes (IR lead)', at);
    expect(entry).toEqual({
      server: 'postgresql://app_ro@db.internal:5432',
      engine: 'postgresql',
      tls: 'off',
      rememberedAt: '2026-11-21T09:00:00.000Z',
      rememberedBy: 'Dana Reyes (IR lead)',
      usable: true,
    });
    expect(vault.passwordFor(server('postgresql://app_ro@db.internal/billing'))).toBe(PASSWORD);
    expect(vault.passwordFor(server('postgresql://postgres@db.internal:5432/orders'))).toBeUndefined();
    expect(vault.passwordFor(server('postgresql://app_ro@db.internal:6432/orders'))).toBeUndefined();
    expect(vault.passwordFor(server('mysql://app_ro@db.internal:5432/orders'))).toBeUndefined();
  });

  it('writes sealed bytes only, in a file and folder nobody else can read', () => {
    const vault = new PasswordVault(path, testSealer());
    vault.remember(server('mysql://root@127.0.0.1:3306/test'), PASSWORD, 'Dana Reyes (IR lead)', at);
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('correct horse'))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(PASSWORD).toString('base64')))).toBe(false);
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    }
    expect(readdirSync(dirname(path))).toEqual(['database-passwords.json']);
  });

  it('survives a restart, and another keychain cannot open it', () => {
    const sealer = testSealer();
    new PasswordVault(path, sealer).remember(server('mysql://root@127.0.0.1/test'), PASSWORD, 'Dana Reyes (IR lead)', at);
    expect(new PasswordVault(path, sealer).passwordFor(server('mysql://root@127.0.0.1:3306/other'))).toBe(PASSWORD);

    const sameKindOtherKey = new PasswordVault(path, testSealer());
    expect(() => sameKindOtherKey.passwordFor(server('mysql://root@127.0.0.1/test'))).toThrow(/cannot be unsealed.*forget it and remember it again/);

    const otherKind = new PasswordVault(path, testSealer('other-keychain'));
    expect(otherKind.list()).toEqual([expect.objectContaining({ usable: false, problem: 'sealed by test-aes, which this app cannot open' })]);
    expect(() => otherKind.passwordFor(server('mysql://root@127.0.0.1/test'))).toThrow(/sealed by test-aes/);
  });

  it('forgets one server and leaves the others', () => {
    const vault = new PasswordVault(path, testSealer());
    vault.remember(server('mysql://root@127.0.0.1/test'), 'one', 'Dana Reyes (IR lead)', at);
    vault.remember(server('postgresql://postgres@127.0.0.1/test'), 'two', 'Dana Reyes (IR lead)', at);
    expect(vault.forget('mysql://root@127.0.0.1:3306')).toBe(true);
    expect(vault.forget('mysql://root@127.0.0.1:3306')).toBe(false);
    expect(vault.list().map((e) => e.server)).toEqual(['postgresql://postgres@127.0.0.1:5432']);
    expect(vault.passwordFor(server('postgresql://postgres@127.0.0.1/test'))).toBe('two');
    expect(readFileSync(path, 'utf8')).not.toContain('mysql://');
  });

  it('replaces a password remembered again for the same server', () => {
    const vault = new PasswordVault(path, testSealer());
    vault.remember(server('mysql://root@127.0.0.1/test'), 'old', 'Dana Reyes (IR lead)', at);
    vault.remember(server('mysql://root@127.0.0.1/other'), 'new', 'Sam Okafor (DBA)', at);
    expect(vault.list()).toEqual([expect.objectContaining({ rememberedBy: 'Sam Okafor (DBA)' })]);
    expect(vault.passwordFor(server('mysql://root@127.0.0.1/test'))).toBe('new');
  });

  it('refuses a damaged file and never overwrites it', () => {
    const vault = new PasswordVault(path, testSealer());
    vault.remember(server('mysql://root@127.0.0.1/test'), PASSWORD, 'Dana Reyes (IR lead)', at);
    const damaged = readFileSync(path, 'utf8').slice(0, 40);
    writeFileSync(path, damaged);
    const attempt = () => vault.remember(server('postgresql://postgres@127.0.0.1/test'), 'x', 'Dana Reyes (IR lead)', at);
    expect(attempt).toThrow(FirebreakError);
    expect(attempt).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(not JSON.*nothing was changed`));
    expect(() => vault.list()).toThrow(/is damaged/);
    expect(readFileSync(path, 'utf8')).toBe(damaged);

    writeFileSync(path, JSON.stringify({ format: 'firebreak-database-passwords v1', entries: { 'mysql://x@h:1': { engine: 'mysql' } } }));
    expect(() => vault.list()).toThrow(/the entry for mysql:\/\/x@h:1 is incomplete/);
    writeFileSync(path, JSON.stringify({ format: 'something else', entries: {} }));
    expect(() => vault.list()).toThrow(/its format is not "firebreak-database-passwords v1"/);
  });

  it('has nothing to remember for SQLite or an empty password', () => {
    const vault = new PasswordVault(path, testSealer());
    expect(() => serverKeyOfUrl('sqlite:/tmp/orders.db')).toThrow(/SQLite file has no password/);
    expect(() => vault.remember(server('mysql://root@127.0.0.1/test'), '', 'Dana Reyes (IR lead)', at)).toThrow(/no password to remember/);
  });

  it('is never sent over weaker TLS, or to another CA, than it was proven over', () => {
    const vault = new PasswordVault(path, testSealer());
    vault.remember(server('postgresql://app_ro@db.internal/orders?sslmode=verify-full&sslrootcert=/etc/ssl/corp-ca.pem'), PASSWORD, 'Dana Reyes (IR lead)', at);
    expect(vault.list()[0]?.tls).toBe('verify-full');
    expect(vault.passwordFor(server('postgresql://app_ro@db.internal/billing?sslmode=verify-full&sslrootcert=/etc/ssl/corp-ca.pem'))).toBe(PASSWORD);
    expect(() => vault.passwordFor(server('postgresql://app_ro@db.internal/orders'))).toThrow(
      /proven over TLS "verify-full" with the CA \/etc\/ssl\/corp-ca\.pem, and this URL asks for "off": it is not sent over a weaker connection\. Add \?sslmode=verify-full to the URL, or type the password\./,
    );
    expect(() => vault.passwordFor(server('postgresql://app_ro@db.internal/orders?sslmode=require'))).toThrow(/asks for "require"/);
    expect(() => vault.passwordFor(server('postgresql://app_ro@db.internal/orders?sslmode=verify-full&sslrootcert=/tmp/evil-ca.pem'))).toThrow(/with the CA \/tmp\/evil-ca\.pem/);

    vault.remember(server('mysql://root@db.internal/test?ssl-mode=REQUIRED'), 'm', 'Dana Reyes (IR lead)', at);
    expect(vault.passwordFor(server('mysql://root@db.internal/test?ssl-mode=VERIFY_IDENTITY'))).toBe('m');
    expect(() => vault.passwordFor(server('mysql://root@db.internal/test'))).toThrow(/Add \?ssl-mode=REQUIRED to the URL/);
  });

  it('names servers the same way whatever the URL spelled', () => {
    expect(serverKeyOfUrl('postgres://postgres@127.0.0.1/test')).toBe('postgresql://postgres@127.0.0.1:5432');
    expect(serverKeyOfUrl('postgresql://postgres@127.0.0.1:5432/other?sslmode=require')).toBe('postgresql://postgres@127.0.0.1:5432');
    expect(serverKeyOfUrl('mariadb://root@localhost/test')).toBe('mysql://root@localhost:3306');
    expect(serverKeyOfUrl('postgresql://svc%40corp@[::1]:5433/x')).toBe('postgresql://svc%40corp@[::1]:5433');
    // Two clusters on one socket folder differ by port, so they never share a password.
    expect(serverKey(server('postgresql://postgres@localhost/test?host=/run/postgresql'))).toBe('postgresql://postgres@[/run/postgresql]:5432');
    expect(serverKey(server('postgresql://postgres@localhost:5433/test?host=/run/postgresql'))).toBe('postgresql://postgres@[/run/postgresql]:5433');
    // A key as list() shows it names the same server again.
    expect(serverKeyOfUrl('postgresql://postgres@127.0.0.1:5432')).toBe('postgresql://postgres@127.0.0.1:5432');
    expect(serverKeyOfUrl('mysql://root@127.0.0.1:3306')).toBe('mysql://root@127.0.0.1:3306');
  });
});
