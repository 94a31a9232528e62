import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RememberedPassword } from '../../../shared/validation';
import { FirebreakError, badInput } from '../../errors';
import type { Sealer } from '../../sealer';
import { type ServerTarget, type TlsMode, parseTargetUrl } from '../adapters/target-url';

/**
 * Database passwords the responder asked the desktop app to remember, sealed by the OS keychain (Electron's
 * safeStorage). One password per server and user, whatever the database: `postgresql://postgres@db.internal:5432`.
 *
 * The file holds sealed bytes only; the case database, the ledger, reports and bundles never hold a password. Without a
 * keychain (browser mode, the CLI, a Linux desktop without a secret service) there is no vault, and the Api says so.
 */
export class PasswordVault {
  constructor(
    readonly path: string,
    private readonly sealer: Sealer,
  ) {}

  /** How the passwords are protected, for the UI: "OS keychain (gnome_libsecret)". */
  get protection(): string {
    return this.sealer.label ?? this.sealer.kind;
  }

  list(): RememberedPassword[] {
    return Object.entries(this.read().entries)
      .map(([server, e]) => this.view(server, e))
      .sort((a, b) => a.server.localeCompare(b.server));
  }

  /**
   * The remembered password for this server and user, or undefined when there is none. It is only ever sent over a
   * connection at least as well protected as the one it was proven on: a URL asking for weaker TLS (or another CA) is
   * refused, so a spoofed server cannot ask for it in the clear.
   */
  passwordFor(target: ServerTarget): string | undefined {
    const server = serverKey(target);
    const entry = this.read().entries[server];
    if (!entry) return undefined;
    if (entry.sealer !== this.sealer.kind) {
      throw new FirebreakError(
        'unavailable',
        `The password remembered for ${server} was sealed by ${entry.sealer}, which this app cannot open; forget it and remember it again.`,
      );
    }
    const proven = entry.tls ?? 'off';
    if (TLS_STRENGTH[target.tls] < TLS_STRENGTH[proven] || (entry.caFile && target.caFile !== entry.caFile)) {
      throw new FirebreakError(
        'unavailable',
        `The password remembered for ${server} was proven over TLS "${proven}"${entry.caFile ? ` with the CA ${entry.caFile}` : ''}, and this URL asks for "${target.tls}"${target.caFile ? ` with the CA ${target.caFile}` : ''}: it is not sent over a weaker connection. Add ${tlsHint(target.engine, proven)} to the URL, or type the password.`,
      );
    }
    try {
      return this.sealer.unseal(Buffer.from(entry.sealed, 'base64')).toString('utf8');
    } catch {
      throw new FirebreakError(
        'unavailable',
        `The password remembered for ${server} cannot be unsealed (the OS keychain changed, or the file came from another machine); forget it and remember it again.`,
      );
    }
  }

  /** Whether a password is remembered for this key (as list() names it). */
  has(server: string): boolean {
    return server in this.read().entries;
  }

  remember(target: ServerTarget, password: string, by: string, at: Date): RememberedPassword {
    if (password === '') throw badInput('There is no password to remember: type it in the password field.');
    const server = serverKey(target);
    const file = this.read();
    const entry: VaultEntry = {
      engine: target.engine,
      sealer: this.sealer.kind,
      sealed: this.sealer.seal(Buffer.from(password, 'utf8')).toString('base64'),
      rememberedAt: at.toISOString(),
      rememberedBy: by,
      tls: target.tls,
      ...(target.caFile ? { caFile: target.caFile } : {}),
    };
    this.write({ ...file, entries: { ...file.entries, [server]: entry } });
    return this.view(server, entry);
  }

  /** Forgets one server's password; false when none was remembered. */
  forget(server: string): boolean {
    const file = this.read();
    if (!(server in file.entries)) return false;
    const { [server]: _gone, ...rest } = file.entries;
    this.write({ ...file, entries: rest });
    return true;
  }

  private view(server: string, e: VaultEntry): RememberedPassword {
    const usable = e.sealer === this.sealer.kind;
    return {
      server,
      engine: e.engine,
      tls: e.tls ?? 'off',
      rememberedAt: e.rememberedAt,
      rememberedBy: e.rememberedBy,
      usable,
      ...(usable ? {} : { problem: `sealed by ${e.sealer}, which this app cannot open` }),
    };
  }

  private read(): VaultFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, entries: {} };
      throw new FirebreakError('unavailable', `The remembered-passwords file ${this.path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const problem = vaultProblem(text);
    if (problem) {
      // Never rewritten while damaged: whatever it still holds is the responder's to recover.
      throw new FirebreakError(
        'unavailable',
        `The remembered-passwords file ${this.path} is damaged (${problem}); nothing was changed. Move it aside to start afresh, or restore it from a backup; until then, type the password for each run.`,
      );
    }
    return JSON.parse(text) as VaultFile;
  }

  private write(file: VaultFile): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeFileSync(fd, `${JSON.stringify(file, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.path);
    } catch (e) {
      rmSync(temp, { force: true });
      throw new FirebreakError('unavailable', `The remembered-passwords file ${this.path} could not be written (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was changed.`);
    }
    syncDir(dir);
  }
}

/** The rename is durable only once its folder is on disk (not possible, nor needed, on Windows). */
function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Where the desktop app keeps the file: beside the store, never inside it. */
export const passwordVaultPath = (dataDir: string): string => join(dataDir, 'secrets', 'database-passwords.json');

/** The vault key of a server and user: `engine://user@host:port`, or `engine://user@[/socket/dir]:port`. */
export function serverKey(t: Pick<ServerTarget, 'engine' | 'user' | 'host' | 'port' | 'socketDir'>): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host.toLowerCase();
  return `${t.engine}://${encodeURIComponent(t.user)}@${t.socketDir ? `[${t.socketDir}]` : host}:${t.port}`;
}

const TLS_STRENGTH: Record<TlsMode, number> = { off: 0, require: 1, 'verify-ca': 2, 'verify-full': 3 };

const tlsHint = (engine: ServerTarget['engine'], mode: TlsMode): string =>
  engine === 'postgresql' ? `?sslmode=${mode}` : `?ssl-mode=${MYSQL_SSL_MODE[mode]}`;
const MYSQL_SSL_MODE: Record<TlsMode, string> = { off: 'DISABLED', require: 'REQUIRED', 'verify-ca': 'VERIFY_CA', 'verify-full': 'VERIFY_IDENTITY' };

/** The server key named by a database URL (any database on it), or by a key as `list()` shows it. */
export function serverKeyOfUrl(url: string): string {
  const spec = parseTargetUrl(withSomeDatabase(url), { env: {} });
  if (spec.engine === 'sqlite') throw badInput('A SQLite file has no password to remember or forget.');
  if (spec.engine === 'dynamodb') throw badInput('DynamoDB has no password to remember: Firebreak uses the AWS default credential chain or ?profile=NAME.');
  return serverKey(spec);
}

/** A server key names no database; the URL parser wants one, and which one does not change the key. */
function withSomeDatabase(url: string): string {
  if (!/^(postgres|postgresql|mysql|mariadb):\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.pathname === '' || u.pathname === '/') u.pathname = '/any';
    return u.toString();
  } catch {
    return url;
  }
}

const FORMAT = 'firebreak-database-passwords v1';

interface VaultEntry {
  engine: ServerTarget['engine'];
  sealer: string;
  /** Base64 of the sealed UTF-8 password. */
  sealed: string;
  rememberedAt: string;
  rememberedBy: string;
  /** The TLS the password was proven over; it is never sent over weaker. */
  tls?: TlsMode;
  caFile?: string;
}

interface VaultFile {
  format: string;
  entries: Record<string, VaultEntry>;
}

function vaultProblem(text: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (!doc || typeof doc !== 'object' || (doc as VaultFile).format !== FORMAT) return `its format is not "${FORMAT}"`;
  const entries = (doc as VaultFile).entries;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) return '"entries" is not an object';
  for (const [server, e] of Object.entries(entries)) {
    const ok =
      e &&
      typeof e === 'object' &&
      (e.engine === 'postgresql' || e.engine === 'mysql') &&
      typeof e.sealer === 'string' &&
      typeof e.sealed === 'string' &&
      typeof e.rememberedAt === 'string' &&
      typeof e.rememberedBy === 'string';
    if (!ok) return `the entry for ${server} is incomplete`;
  }
  return null;
}
