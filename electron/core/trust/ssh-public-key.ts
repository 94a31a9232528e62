/**
 * OpenSSH public keys as signers hold them: `ssh-ed25519 AAAA... comment` lines, the FIDO2 hardware-backed
 * `sk-ssh-ed25519@openssh.com` kind (PROTOCOL.u2f), and Firebreak's own Ed25519 keys converted to the same line.
 * Fingerprints are exactly what `ssh-keygen -lf` prints (`SHA256:` and unpadded base64 of the wire blob), so a signer
 * can read theirs aloud and a reviewer can compare it with stock tools. Other key types are refused by name: sign-offs
 * accept Ed25519 only, so every signature in a bundle is checked the same way.
 */
import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import { badInput } from '../errors';
import { SshReader, sshString } from './ssh-wire';

export const SSH_ED25519 = 'ssh-ed25519';
export const SK_SSH_ED25519 = 'sk-ssh-ed25519@openssh.com';
export type SshKeyType = typeof SSH_ED25519 | typeof SK_SSH_ED25519;

/** The FIDO application OpenSSH uses for security keys unless told otherwise (`ssh-keygen -O application=`). */
export const DEFAULT_SK_APPLICATION = 'ssh:';

export interface SshPublicKey {
  type: SshKeyType;
  /** The raw 32-byte Ed25519 public key. */
  ed25519: Buffer;
  /** For a security key, the FIDO application its signatures are bound to; null for plain ssh-ed25519. */
  application: string | null;
  /** The wire-format blob: the line's base64, and what the fingerprint hashes. */
  blob: Buffer;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The line's trailing comment ('' when none). */
  comment: string;
}

const ACCEPTED = `Firebreak accepts ${SSH_ED25519} and ${SK_SSH_ED25519} keys`;

/** Key type names OpenSSH knows that are not ours: named in the refusal rather than called "not a key". */
const OTHER_SSH_TYPE = /^(ssh-(rsa|dss)|ecdsa-sha2-|sk-ecdsa-sha2-|ssh-ed448|rsa-sha2-|webauthn-|[a-z0-9-]+-cert-v01@openssh\.com)/;

export const sshFingerprint = (blob: Buffer): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

const strictBase64 = (text: string): Buffer | null =>
  text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : null;

function make(type: SshKeyType, ed25519: Buffer, application: string | null, comment: string): SshPublicKey {
  const parts = [sshString(type), sshString(ed25519)];
  if (type === SK_SSH_ED25519) parts.push(sshString(application ?? DEFAULT_SK_APPLICATION));
  const blob = Buffer.concat(parts);
  return { type, ed25519, application: type === SK_SSH_ED25519 ? (application ?? DEFAULT_SK_APPLICATION) : null, blob, fingerprint: sshFingerprint(blob), comment };
}

/** Reads a key from its wire blob (as embedded in an SSH signature). `where` names the source in errors. */
export function decodeSshPublicKey(blob: Buffer, where: string, comment = ''): SshPublicKey {
  const r = new SshReader(blob, where);
  const type = r.text('key type');
  if (type !== SSH_ED25519 && type !== SK_SSH_ED25519) {
    throw badInput(`${where} is a ${type || 'nameless'} key; ${ACCEPTED}.`);
  }
  const ed25519 = r.string('Ed25519 public key');
  if (ed25519.length !== 32) throw badInput(`${where} holds an Ed25519 key of ${ed25519.length} bytes; an Ed25519 key has 32.`);
  const application = type === SK_SSH_ED25519 ? r.text('security key application') : null;
  r.end();
  if (application === '') throw badInput(`${where} is a security key with an empty application.`);
  return make(type, Buffer.from(ed25519), application, comment);
}

/**
 * Parses one `type base64 [comment]` line, as in `id_ed25519.pub` or `id_ed25519_sk.pub`. `where` names the source
 * (a file name, or "line 3 of signers.txt") in errors.
 */
export function parseSshPublicKey(line: string, where = 'the public key'): SshPublicKey {
  const text = line.trim();
  if (text.startsWith('-----BEGIN')) {
    const what = /PRIVATE KEY/.test(text) ? 'a private key: give the public half (the .pub file) instead' : 'a PEM file, not an OpenSSH public key line';
    throw badInput(`${where} is ${what}.`);
  }
  const match = /^(\S+)\s+(\S+)(?:\s+(.*))?$/s.exec(text);
  const type = match?.[1] ?? text.split(/\s+/)[0] ?? '';
  if (type !== SSH_ED25519 && type !== SK_SSH_ED25519) {
    if (OTHER_SSH_TYPE.test(type)) throw badInput(`${where} is a ${type} key; ${ACCEPTED}.`);
    throw badInput(`${where} is not an OpenSSH public key line (expected "${SSH_ED25519} AAAA... comment").`);
  }
  if (!match) throw badInput(`${where} names the key type ${type} but has no key after it.`);
  if (/[\r\n]/.test(text)) throw badInput(`${where} spans several lines; a public key is one line.`);
  const blob = strictBase64(match[2] as string);
  if (!blob) throw badInput(`${where} has a key that is not valid base64.`);
  const key = decodeSshPublicKey(blob, where, (match[3] ?? '').trim());
  if (key.type !== type) throw badInput(`${where} says ${type} but its key data is a ${key.type} key.`);
  return key;
}

/** `type base64 comment`: the `.pub` line ssh-keygen writes. */
export function formatSshPublicKey(key: SshPublicKey, comment = key.comment): string {
  const c = comment.replace(/[\r\n]+/g, ' ').trim();
  return `${key.type} ${key.blob.toString('base64')}${c ? ` ${c}` : ''}`;
}

/** Firebreak's own Ed25519 key (a node:crypto public or private KeyObject) as an OpenSSH ssh-ed25519 key. */
export function sshPublicKeyFromKeyObject(key: KeyObject, comment = ''): SshPublicKey {
  if (key.asymmetricKeyType !== 'ed25519') throw badInput(`The key is ${key.asymmetricKeyType ?? 'not asymmetric'}; only Ed25519 keys can be OpenSSH ${SSH_ED25519} keys.`);
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const x = pub.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw badInput('The Ed25519 key has no public value.');
  return make(SSH_ED25519, Buffer.from(x, 'base64url'), null, comment);
}

/** A security key's public half built from its parts (for keys whose line is not at hand, and for tests). */
export const skEd25519PublicKey = (ed25519: Buffer, application = DEFAULT_SK_APPLICATION, comment = ''): SshPublicKey => {
  if (ed25519.length !== 32) throw badInput(`An Ed25519 key has 32 bytes, not ${ed25519.length}.`);
  if (application === '') throw badInput('A security key needs an application, e.g. "ssh:".');
  return make(SK_SSH_ED25519, ed25519, application, comment);
};

/** The Ed25519 verifying key inside either kind (a security key signs with a plain Ed25519 key too). */
export const ed25519KeyObject = (key: SshPublicKey): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.ed25519.toString('base64url') }, format: 'jwk' });

/** Same key: same type, key and application, whatever the comments. */
export const sameSshKey = (a: SshPublicKey, b: SshPublicKey): boolean => a.blob.equals(b.blob);
