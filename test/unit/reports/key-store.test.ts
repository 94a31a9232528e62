import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyFingerprint, verifySignature } from '../../../electron/core/kernel/signature';
import { FileKeyStore, signerKeyId } from '../../../electron/core/signoff/key-store';
import { tempDir } from '../../helpers/temp';
import { testSealer } from '../../helpers/test-sealer';

describe('signer key store', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('creates a key on first use and returns the same key after, one per role and name', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    expect(store.fingerprintOf({ name: 'Morgan Lee', role: 'CISO' })).toBeNull();
    const a = store.keyFor({ name: 'Morgan Lee', role: 'CISO' });
    const again = new FileKeyStore(join(dir.path, 'keys')).keyFor({ name: 'Morgan Lee', role: 'ciso' });
    expect(again.fingerprint).toBe(a.fingerprint);
    expect(store.keyFor({ name: 'Morgan Lee', role: 'Legal' }).fingerprint).not.toBe(a.fingerprint);
    const message = Buffer.from('{"statement":"I attest"}');
    expect(verifySignature(message, a.sign(message), a.publicKeyPem)).toBe(true);
    // The fingerprint is what `openssl pkey -pubin -outform DER | sha256sum` prints.
    const der = Buffer.from(a.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(a.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    expect(publicKeyFingerprint(a.publicKeyPem)).toBe(a.fingerprint);
    expect(readFileSync(join(dir.path, 'keys', `${signerKeyId({ name: 'Morgan Lee', role: 'CISO' })}.pub.pem`), 'utf8')).toBe(a.publicKeyPem);
  });

  it('passes the private key through the sealer, so it is never on disk in the clear', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'), testSealer());
    const k = store.keyFor({ name: 'Sam Ortiz', role: 'Legal' });
    const file = readdirSync(join(dir.path, 'keys')).find((f) => f.endsWith('.key')) as string;
    const body = readFileSync(join(dir.path, 'keys', file), 'utf8');
    expect(body.startsWith('firebreak-signing-key v1 test-aes\n')).toBe(true);
    expect(body).not.toContain('PRIVATE KEY');
    expect(Buffer.from(body.split('\n')[1] as string, 'base64').toString('latin1')).not.toContain('PRIVATE KEY');
    expect(store.keyFor({ name: 'Sam Ortiz', role: 'Legal' }).fingerprint).toBe(k.fingerprint);
    // Sealed elsewhere (another machine's keychain): refused, naming the file and never the key.
    const other = new FileKeyStore(join(dir.path, 'keys'), testSealer());
    let message = '';
    try {
      other.keyFor({ name: 'Sam Ortiz', role: 'Legal' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^The signing key .*\.key cannot be read \(damaged, or sealed on another machine\)\.$/);
    expect(message).not.toContain(body.split('\n')[1]?.slice(0, 20));
  });

  it.skipIf(process.platform === 'win32')('keeps the private key 0600 and refuses one other users can read', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    store.keyFor({ name: 'Dana Reyes', role: 'IR lead' });
    const path = join(dir.path, 'keys', `${signerKeyId({ name: 'Dana Reyes', role: 'IR lead' })}.key`);
    chmodSync(path, 0o644);
    expect(() => store.keyFor({ name: 'Dana Reyes', role: 'IR lead' })).toThrow(`The signing key ${path} can be read by other users; run chmod 600 "${path}" and sign again.`);
    chmodSync(path, 0o600);
    writeFileSync(path, 'firebreak-signing-key v1 plain\nnot base64 of a key\n', { mode: 0o600 });
    expect(() => store.keyFor({ name: 'Dana Reyes', role: 'IR lead' })).toThrow(/cannot be read \(damaged/);
  });
});
