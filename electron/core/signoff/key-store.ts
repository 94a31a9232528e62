import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../errors';
import { publicKeyFingerprint } from '../kernel/signature';
import type { Sealer } from '../sealer';

export interface SignerIdentity {
  name: string;
  role: string;
}

/** A signer's key pair. The private half never leaves this object: it signs, and that is all it does. */
export interface SignerKey {
  readonly keyId: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  sign(message: Buffer): Buffer;
}

/** Where signers' keys live. Electron wraps the file store with safeStorage through a KeySealer. */
export interface SignerKeyStore {
  /** The signer's key, created on first use. */
  keyFor(signer: SignerIdentity): SignerKey;
  /** The fingerprint of the signer's key, or null when they have none yet (nothing is created). */
  fingerprintOf(signer: SignerIdentity): string | null;
}

/** Protects private key bytes at rest, e.g. with the OS keychain; `kind` names the protection in the key file. */
export type KeySealer = Sealer;

/** No protection beyond the file's mode (0600), for the CLI and tests. */
export const plainSealer: KeySealer = { kind: 'plain', seal: (b) => b, unseal: (b) => b };

const MAGIC = 'firebreak-signing-key v1';

/** Where a data directory keeps its signers' keys. */
export const signingKeysDir = (dataDir: string): string => join(dataDir, 'signing-keys');

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'x';

/** "IR lead", "ir-lead" and "IR Lead" are one role. */
const roleKey = (r: string) => r.trim().toLowerCase().replace(/[\s_-]+/g, '');

/** One file name per (role, name): readable, and distinct even when two names slug alike. */
export const signerKeyId = (s: SignerIdentity): string =>
  `${slug(s.role)}--${slug(s.name)}--${createHash('sha256').update(`${roleKey(s.role)}\n${s.name.trim()}`, 'utf8').digest('hex').slice(0, 8)}`;

/**
 * Keys as files in one directory (mode 0700): `<keyId>.key` holds the private key (PKCS#8, passed through the
 * sealer; mode 0600), `<keyId>.pub.pem` the public key for people to copy. A private key file that other users can read
 * is refused, as ssh refuses one.
 */
export class FileKeyStore implements SignerKeyStore {
  constructor(
    readonly dir: string,
    private readonly sealer: KeySealer = plainSealer,
  ) {}

  private paths(s: SignerIdentity) {
    const id = signerKeyId(s);
    return { id, key: join(this.dir, `${id}.key`), pub: join(this.dir, `${id}.pub.pem`) };
  }

  fingerprintOf(s: SignerIdentity): string | null {
    const p = this.paths(s);
    try {
      statSync(p.key);
    } catch {
      return null;
    }
    return this.load(p.id, p.key).fingerprint;
  }

  keyFor(s: SignerIdentity): SignerKey {
    const p = this.paths(s);
    let exists = true;
    try {
      statSync(p.key);
    } catch {
      exists = false;
    }
    if (!exists) this.create(p);
    return this.load(p.id, p.key);
  }

  private create(p: { id: string; key: string; pub: string }): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const body = `${MAGIC} ${this.sealer.kind}\n${this.sealer.seal(Buffer.from(pkcs8, 'utf8')).toString('base64')}\n`;
    const temp = `${p.key}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      statSync(p.key);
      // Another process created this signer's key meanwhile: keep theirs.
      rmSync(temp, { force: true });
      return;
    } catch {
      renameSync(temp, p.key);
    }
    writeFileSync(p.pub, publicKey.export({ type: 'spki', format: 'pem' }) as string, { mode: 0o644 });
  }

  private load(id: string, path: string): SignerKey {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      throw new FirebreakError('unavailable', `The signing key ${path} can be read by other users; run chmod 600 "${path}" and sign again.`);
    }
    const [head = '', data = ''] = readFileSync(path, 'utf8').split('\n');
    const kind = head.startsWith(`${MAGIC} `) ? head.slice(MAGIC.length + 1) : null;
    if (!kind || (kind !== 'plain' && kind !== this.sealer.kind)) {
      throw new FirebreakError('unavailable', `The signing key ${path} is not a Firebreak signing key this installation can open.`);
    }
    let privateKey: KeyObject;
    try {
      const sealed = Buffer.from(data, 'base64');
      privateKey = createPrivateKey(kind === 'plain' ? sealed : this.sealer.unseal(sealed));
    } catch {
      // Never echo key material: name the file only.
      throw new FirebreakError('unavailable', `The signing key ${path} cannot be read (damaged, or sealed on another machine).`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new FirebreakError('unavailable', `The signing key ${path} is not an Ed25519 key.`);
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
    return {
      keyId: id,
      publicKeyPem,
      fingerprint: publicKeyFingerprint(publicKeyPem),
      sign: (message) => sign(null, message, privateKey),
    };
  }
}
