import { type KeyObject, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SK_SSH_ED25519,
  SSH_ED25519,
  decodeSshPublicKey,
  ed25519KeyObject,
  formatSshPublicKey,
  parseSshPublicKey,
  sameSshKey,
  skEd25519PublicKey,
  sshPublicKeyFromKeyObject,
} from '../../../electron/core/trust/ssh-public-key';
import { sshString } from '../../../electron/core/trust/ssh-wire';

// Made by `ssh-keygen -t ed25519 -C priya@example`; the fingerprint is what `ssh-keygen -lf` printed for it.
const LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOK/pSIQj8S2AIfMX/NPPyJG3Hv+GG/cRDGQAMnbl+UX priya@example';
const FINGERPRINT = 'SHA256:8rkqMjwx/qP0nGbeswggRMrgKdPkimawBLQgnLrjFAQ';

const b64 = (...parts: Buffer[]) => Buffer.concat(parts).toString('base64');

describe('OpenSSH public keys', () => {
  it('reads an ssh-ed25519 line: type, key, comment, and the fingerprint ssh-keygen -lf prints', () => {
    const key = parseSshPublicKey(`${LINE}\n`);
    expect(key.type).toBe(SSH_ED25519);
    expect(key.ed25519).toHaveLength(32);
    expect(key.application).toBeNull();
    expect(key.comment).toBe('priya@example');
    expect(key.fingerprint).toBe(FINGERPRINT);
    expect(formatSshPublicKey(key)).toBe(LINE);
    expect(formatSshPublicKey(key, '')).toBe(LINE.replace(' priya@example', ''));
  });

  it('keeps a comment with spaces whole', () => {
    expect(parseSshPublicKey(`${LINE.replace('priya@example', 'Priya Shah, CISO')}`).comment).toBe('Priya Shah, CISO');
  });

  it('reads a security key line and keeps its application', () => {
    const raw = Buffer.alloc(32, 7);
    const line = `${SK_SSH_ED25519} ${b64(sshString(SK_SSH_ED25519), sshString(raw), sshString('ssh:firebreak'))} yubikey`;
    const key = parseSshPublicKey(line);
    expect(key.type).toBe(SK_SSH_ED25519);
    expect(key.application).toBe('ssh:firebreak');
    expect(key.ed25519.equals(raw)).toBe(true);
    expect(sameSshKey(key, skEd25519PublicKey(raw, 'ssh:firebreak'))).toBe(true);
    // The application is part of the key: the same Ed25519 key under another application is another key.
    expect(sameSshKey(key, skEd25519PublicKey(raw))).toBe(false);
    expect(key.fingerprint).not.toBe(skEd25519PublicKey(raw).fingerprint);
  });

  it('converts Firebreak\'s own Ed25519 key to the OpenSSH line and back to the same verifying key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const fromPublic = sshPublicKeyFromKeyObject(publicKey, 'Priya Shah');
    const fromPrivate = sshPublicKeyFromKeyObject(privateKey);
    expect(sameSshKey(fromPublic, fromPrivate)).toBe(true);
    const again = parseSshPublicKey(formatSshPublicKey(fromPublic));
    expect(again.fingerprint).toBe(fromPublic.fingerprint);
    expect(again.comment).toBe('Priya Shah');
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
    expect(spki(ed25519KeyObject(again)).equals(spki(publicKey))).toBe(true);
  });

  it.each([
    ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me', /ssh-rsa key; Firebreak accepts ssh-ed25519 and sk-ssh-ed25519@openssh.com/],
    ['ecdsa-sha2-nistp256 AAAAE2VjZHNh me', /ecdsa-sha2-nistp256 key/],
    ['sk-ecdsa-sha2-nistp256@openssh.com AAAA me', /sk-ecdsa-sha2-nistp256@openssh.com key/],
    ['ssh-ed25519-cert-v01@openssh.com AAAA me', /ssh-ed25519-cert-v01@openssh.com key/],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', /is a private key: give the public half/],
    ['-----BEGIN PUBLIC KEY-----\nMCowBQ\n-----END PUBLIC KEY-----', /PEM file, not an OpenSSH public key line/],
    ['hello world', /not an OpenSSH public key line/],
    ['ssh-ed25519', /names the key type ssh-ed25519 but has no key/],
    ['ssh-ed25519 AAAA$$$$ me', /not valid base64/],
    [`ssh-ed25519 ${b64(sshString(SSH_ED25519), sshString(Buffer.alloc(31)))}`, /Ed25519 key of 31 bytes/],
    [`ssh-ed25519 ${b64(sshString(SSH_ED25519), sshString(Buffer.alloc(32)), Buffer.of(0))}`, /1 unexpected bytes after its last field/],
    [`ssh-ed25519 ${b64(sshString(SSH_ED25519), Buffer.of(0, 0, 0, 32, 1))}`, /truncated: its Ed25519 public key needs 32 bytes/],
    [`ssh-ed25519 ${b64(sshString(SK_SSH_ED25519), sshString(Buffer.alloc(32)), sshString('ssh:'))}`, /says ssh-ed25519 but its key data is a sk-ssh-ed25519@openssh.com key/],
    [`ssh-ed25519 ${b64(sshString('ssh-rsa'), sshString(Buffer.alloc(3)))}`, /is a ssh-rsa key/],
    [`${SK_SSH_ED25519} ${b64(sshString(SK_SSH_ED25519), sshString(Buffer.alloc(32)), sshString(''))}`, /empty application/],
  ])('refuses %j with a clear reason', (line, message) => {
    expect(() => parseSshPublicKey(line, 'signer.pub')).toThrow(message);
    expect(() => parseSshPublicKey(line, 'signer.pub')).toThrow(/^signer\.pub /);
  });

  it('refuses two keys in one line and non-Ed25519 KeyObjects', () => {
    expect(() => parseSshPublicKey(`${LINE}\n${LINE}`)).toThrow(/spans several lines/);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => sshPublicKeyFromKeyObject(publicKey)).toThrow(/is ec; only Ed25519/);
    expect(() => decodeSshPublicKey(Buffer.alloc(0), 'the key in x.sig')).toThrow(/the key in x\.sig is truncated/);
  });
});
