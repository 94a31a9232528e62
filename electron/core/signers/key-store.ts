/**
 * The keys of the person using this installation, made here by `firebreak keys init`. A key belongs to one name and
 * role; its private half never leaves this machine and is never shown: it signs, and that is all it does. Firebreak
 * makes no key for anyone else: other signers make theirs on their own machines and are enrolled by public key.
 *
 * Files, in one folder (mode 0700): `<principal>.key` holds the private key (PKCS#8, through the sealer; mode 0600),
 * `<principal>.pub` the OpenSSH public key line to give whoever enrols the signer. A private key file that other users
 * can read is refused, as ssh refuses one.
 */
import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError, badInput } from '../errors';
import type { Sealer } from '../sealer';
import { publicKeyFingerprint } from '../kernel/signature';
import { signerPrincipal } from '../trust/allowed-signers';
import { type SshPublicKey, formatSshPublicKey, sshPublicKeyFromKeyObject } from '../trust/ssh-public-key';
import type { Ed25519Signer } from '../trust/sshsig';

export interface SignerIdentity {
  name: string;
  role: string;
}

/** One of the operator's own keys. */
export interface SignerKey {
  readonly name: string;
  readonly role: string;
  readonly principal: string;
  readonly createdAt: string | null;
  /** SPKI PEM, for the exporter's signature over a bundle's SHA256SUMS (openssl pkeyutl). */
  readonly publicKeyPem: string;
  /** SHA-256 of the SPKI DER: `openssl pkey -pubin -outform DER | sha256sum`. */
  readonly fingerprint: string;
  readonly sshPublicKey: SshPublicKey;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  /** A raw Ed25519 signature over the message. */
  sign(message: Buffer): Buffer;
  /** The key as an SSHSIG signer (signSshsig), without its private half. */
  readonly signer: Ed25519Signer;
}

export interface SignerKeyStore {
  /** How the private keys are protected at rest, in words. */
  readonly protection: string;
  /** The key of this name and role held here, or null. Never makes one. */
  get(s: SignerIdentity): SignerKey | null;
  /** Makes the key of this name and role, or returns the one already here (never replaced): `created` says which. */
  init(s: SignerIdentity, now: Date): { key: SignerKey; created: boolean };
  /** Every key held here, by principal. */
  list(): SignerKey[];
}

/** Protects private key bytes at rest, e.g. with the OS keychain; `kind` names the protection in the key file. */
export type KeySealer = Sealer;

/** No protection beyond the file's mode (0600), for the CLI and tests. */
export const plainSealer: KeySealer = { kind: 'plain', seal: (b) => b, unseal: (b) => b };

const MAGIC = 'firebreak-own-key v1';

/** "IR lead", "ir-lead" and "IR Lead" are one role. */
export const roleKey = (r: string): string => r.trim().toLowerCase().replace(/[\s_-]+/g, '');
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

interface KeyMeta {
  name: string;
  role: string;
  createdAt: string;
}

/** The key folder of a data directory. */
export const keysDir = (dataDir: string): string => join(dataDir, 'keys');

export class FileKeyStore implements SignerKeyStore {
  readonly protection: string;

  constructor(
    readonly dir: string,
    private readonly sealer: KeySealer = plainSealer,
  ) {
    this.protection = sealer.kind === 'plain' ? 'file mode 0600, not sealed' : `sealed by ${sealer.label ?? sealer.kind}, file mode 0600`;
  }

  private paths(principal: string) {
    return { key: join(this.dir, `${principal}.key`), pub: join(this.dir, `${principal}.pub`) };
  }

  get(s: SignerIdentity): SignerKey | null {
    const principal = signerPrincipal(s.name, s.role);
    const p = this.paths(principal);
    try {
      statSync(p.key);
    } catch {
      return null;
    }
    const key = this.load(principal, p.key);
    // Two names can share a slug; the file is one person's.
    return sameName(key.name, s.name) && roleKey(key.role) === roleKey(s.role) ? key : null;
  }

  list(): SignerKey[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.key'))
      .sort()
      .map((n) => this.load(n.slice(0, -4), join(this.dir, n)));
  }

  init(s: SignerIdentity, now: Date): { key: SignerKey; created: boolean } {
    const name = s.name.trim();
    const role = s.role.trim();
    const principal = signerPrincipal(name, role);
    const p = this.paths(principal);
    const existing = this.exists(p.key) ? this.load(principal, p.key) : null;
    if (existing) {
      if (sameName(existing.name, name) && roleKey(existing.role) === roleKey(role)) {
        if (!this.exists(p.pub)) this.writePublic(existing);
        return { key: existing, created: false };
      }
      throw new FirebreakError('conflict', `${p.key} already holds the key of ${existing.name} (${existing.role}), whose name and role make the same file name as ${name} (${role}).`);
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const meta: KeyMeta = { name, role, createdAt: now.toISOString() };
    const pkcs8 = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'utf8');
    const body = `${MAGIC} ${this.sealer.kind} ${Buffer.from(JSON.stringify(meta), 'utf8').toString('base64')}\n${this.sealer.seal(pkcs8).toString('base64')}\n`;
    const temp = `${p.key}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // A hard link fails if the name exists: a key made meanwhile by another process is never overwritten.
      linkSync(temp, p.key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return { key: this.load(principal, p.key), created: false };
    } finally {
      rmSync(temp, { force: true });
    }
    const key = this.load(principal, p.key);
    this.writePublic(key);
    return { key, created: true };
  }

  private writePublic(key: SignerKey): void {
    writeFileSync(key.publicKeyPath, `${formatSshPublicKey(key.sshPublicKey)}\n`, { mode: 0o644 });
  }

  private exists(path: string): boolean {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  }

  private load(principal: string, path: string): SignerKey {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      throw new FirebreakError('unavailable', `The signing key ${path} can be read by other users; run chmod 600 "${path}" and sign again.`);
    }
    const [head = '', data = ''] = readFileSync(path, 'utf8').split('\n');
    const [kind, metaB64] = head.startsWith(`${MAGIC} `) ? head.slice(MAGIC.length + 1).split(' ') : [];
    if (!kind || !metaB64 || (kind !== 'plain' && kind !== this.sealer.kind)) {
      throw new FirebreakError('unavailable', `The signing key ${path} is not a Firebreak key this installation can open.`);
    }
    let privateKey: KeyObject;
    let meta: KeyMeta;
    try {
      meta = JSON.parse(Buffer.from(metaB64, 'base64').toString('utf8')) as KeyMeta;
      const sealed = Buffer.from(data, 'base64');
      privateKey = createPrivateKey(kind === 'plain' ? sealed : this.sealer.unseal(sealed));
    } catch {
      // Never echo key material: name the file only.
      throw new FirebreakError('unavailable', `The signing key ${path} cannot be read (damaged, or sealed on another machine).`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new FirebreakError('unavailable', `The signing key ${path} is not an Ed25519 key.`);
    if (typeof meta.name !== 'string' || typeof meta.role !== 'string') throw badInput(`The signing key ${path} does not say whose it is.`);
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
    const sshPublicKey = sshPublicKeyFromKeyObject(privateKey, principal);
    const raw = (message: Buffer) => sign(null, message, privateKey);
    return {
      name: meta.name,
      role: meta.role,
      principal,
      createdAt: typeof meta.createdAt === 'string' ? meta.createdAt : null,
      publicKeyPem,
      fingerprint: publicKeyFingerprint(publicKeyPem),
      sshPublicKey,
      privateKeyPath: path,
      publicKeyPath: this.paths(principal).pub,
      sign: raw,
      signer: { publicKey: sshPublicKey, sign: raw },
    };
  }
}
