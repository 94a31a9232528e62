import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../../electron/core/signers/key-store';
import { publicKeyFingerprint, verifySignature } from '../../../electron/core/kernel/signature';
import { parseSshPublicKey } from '../../../electron/core/trust/ssh-public-key';
import { SIGNOFF_NAMESPACE, signSshsig, verifySshsig } from '../../../electron/core/trust/sshsig';
import { keygenFingerprint, sshKeygen } from '../../helpers/ssh-keygen';
import { tempDir } from '../../helpers/temp';
import { testSealer } from '../../helpers/test-sealer';

describe("the operator's own key store", () => {
  let dir: ReturnType<typeof tempDir>;
  const at = new Date('2026-05-12T14:00:00Z');
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('makes a key only when asked (keys init), never on a read, and keeps it: one per name and role', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    expect(store.get({ name: 'Morgan Lee', role: 'CISO' })).toBeNull();
    expect(store.list()).toEqual([]);
    const a = store.init({ name: 'Morgan Lee', role: 'CISO' }, at);
    expect(a.created).toBe(true);
    const again = new FileKeyStore(join(dir.path, 'keys')).init({ name: 'morgan lee', role: 'ciso' }, at);
    expect(again).toMatchObject({ created: false, key: { fingerprint: a.key.fingerprint, name: 'Morgan Lee', role: 'CISO', createdAt: at.toISOString() } });
    expect(store.get({ name: 'Morgan Lee', role: 'Legal' })).toBeNull();
    expect(store.init({ name: 'Morgan Lee', role: 'Legal' }, at).key.fingerprint).not.toBe(a.key.fingerprint);
    expect(store.list().map((k) => k.principal)).toEqual(['morgan-lee@ciso', 'morgan-lee@legal']);
    // Raw Ed25519 (the exporter's signature over SHA256SUMS): fingerprint as `openssl pkey -pubin -outform DER | sha256sum`.
    const message = Buffer.from('SHA256SUMS');
    expect(verifySignature(message, a.key.sign(message), a.key.publicKeyPem)).toBe(true);
    const der = Buffer.from(a.key.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(a.key.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    expect(publicKeyFingerprint(a.key.publicKeyPem)).toBe(a.key.fingerprint);
  });

  it('writes the OpenSSH .pub line whose fingerprint ssh-keygen prints, and signs SSHSIG that ssh-keygen verifies', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    const { key } = store.init({ name: 'Priya Shah', role: 'CISO' }, at);
    expect(key.publicKeyPath).toBe(join(dir.path, 'keys', 'priya-shah@ciso.pub'));
    const line = readFileSync(key.publicKeyPath, 'utf8');
    expect(parseSshPublicKey(line).fingerprint).toBe(key.sshPublicKey.fingerprint);
    expect(keygenFingerprint(key.publicKeyPath).fingerprint).toBe(key.sshPublicKey.fingerprint);
    const request = 'FIREBREAK SIGN-OFF REQUEST (a stand-in)\n';
    const sig = signSshsig(request, key.signer, SIGNOFF_NAMESPACE);
    expect(verifySshsig(sig, request, { namespace: SIGNOFF_NAMESPACE, key: key.sshPublicKey }).valid).toBe(true);
    writeFileSync(join(dir.path, 'allowed_signers'), `priya-shah@ciso ${line}`);
    writeFileSync(join(dir.path, 'req.sig'), sig);
    const r = sshKeygen(['-Y', 'verify', '-f', join(dir.path, 'allowed_signers'), '-I', 'priya-shah@ciso', '-n', SIGNOFF_NAMESPACE, '-s', join(dir.path, 'req.sig')], { input: request });
    expect(r).toMatchObject({ status: 0, stdout: expect.stringContaining(`Good "${SIGNOFF_NAMESPACE}" signature for priya-shah@ciso`) });
  });

  it('passes the private key through the sealer, so it is never on disk in the clear', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'), testSealer());
    expect(store.protection).toBe('sealed by test-aes, file mode 0600');
    const { key } = store.init({ name: 'Sam Ortiz', role: 'Legal' }, at);
    const file = readdirSync(join(dir.path, 'keys')).find((f) => f.endsWith('.key')) as string;
    const body = readFileSync(join(dir.path, 'keys', file), 'utf8');
    expect(body.startsWith('firebreak-own-key v1 test-aes ')).toBe(true);
    expect(body).not.toContain('PRIVATE KEY');
    expect(Buffer.from(body.split('\n')[1] as string, 'base64').toString('latin1')).not.toContain('PRIVATE KEY');
    expect(store.get({ name: 'Sam Ortiz', role: 'Legal' })?.fingerprint).toBe(key.fingerprint);
    // Sealed elsewhere (another machine's keychain): refused, naming the file and never the key.
    const other = new FileKeyStore(join(dir.path, 'keys'), testSealer());
    let message = '';
    try {
      other.get({ name: 'Sam Ortiz', role: 'Legal' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^The signing key .*\.key cannot be read \(damaged, or sealed on another machine\)\.$/);
    expect(message).not.toContain(body.split('\n')[1]?.slice(0, 20));
  });

  it.skipIf(process.platform === 'win32')('keeps the folder 0700 and the private key 0600, and refuses a key other users can read', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    const { key } = store.init({ name: 'Dana Reyes', role: 'IR lead' }, at);
    expect(statSync(join(dir.path, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(key.privateKeyPath).mode & 0o777).toBe(0o600);
    chmodSync(key.privateKeyPath, 0o644);
    expect(() => store.get({ name: 'Dana Reyes', role: 'IR lead' })).toThrow(
      `The signing key ${key.privateKeyPath} can be read by other users; run chmod 600 "${key.privateKeyPath}" and sign again.`,
    );
    chmodSync(key.privateKeyPath, 0o600);
    writeFileSync(key.privateKeyPath, 'firebreak-own-key v1 plain e30=\nnot base64 of a key\n', { mode: 0o600 });
    expect(() => store.get({ name: 'Dana Reyes', role: 'IR lead' })).toThrow(/cannot be read \(damaged/);
  });

  it('refuses to put two people whose names make the same file name in one file', () => {
    const store = new FileKeyStore(join(dir.path, 'keys'));
    store.init({ name: 'Ana Lee', role: 'CISO' }, at);
    expect(() => store.init({ name: 'Ana-Lee', role: 'CISO' }, at)).toThrow(/already holds the key of Ana Lee \(CISO\)/);
    expect(store.get({ name: 'Ana-Lee', role: 'CISO' })).toBeNull();
  });
});
