/**
 * SSHSIG, the signature format of `ssh-keygen -Y sign` (OpenSSH PROTOCOL.sshsig): an armored blob holding the
 * signer's public key, a namespace that binds the signature to one purpose (sign-offs use "firebreak-signoff", so a
 * signature made for git or a file cannot be replayed as a sign-off), the hash algorithm, and the signature over
 * "SSHSIG" || namespace || reserved || hash algorithm || H(message).
 *
 * Firebreak's own Ed25519 keys sign in this format too, so `ssh-keygen -Y verify` checks every sign-off alike.
 * Verification accepts ssh-ed25519 and FIDO2 sk-ssh-ed25519@openssh.com signatures; for the latter it checks the
 * application hash, the flags and the counter the security key signed (PROTOCOL.u2f), and by default refuses a
 * signature made without the user's touch.
 */
import { KeyObject, createHash, sign, verify } from 'node:crypto';
import { badInput } from '../errors';
import { SK_SSH_ED25519, SSH_ED25519, type SshPublicKey, decodeSshPublicKey, ed25519KeyObject, sameSshKey, sshPublicKeyFromKeyObject } from './ssh-public-key';
import { SshReader, sshString, sshUint32 } from './ssh-wire';

/** The namespace of every sign-off signature: `ssh-keygen -Y sign -n firebreak-signoff`. */
export const SIGNOFF_NAMESPACE = 'firebreak-signoff';

export type SshsigHash = 'sha512' | 'sha256';
/** ssh-keygen signs with sha512 and verifies either. */
const HASHES: readonly string[] = ['sha512', 'sha256'];

const MAGIC = Buffer.from('SSHSIG', 'latin1');
const VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
/** ssh-keygen wraps the armor's base64 at 70 characters. */
const LINE = 70;

/** Security key flag bits (the FIDO authenticator data flags). */
export const SK_USER_PRESENT = 0x01;
export const SK_USER_VERIFIED = 0x04;

export interface SshSignature {
  /** The key the signature says made it; trusted only once it is matched to an enrolled signer. */
  key: SshPublicKey;
  namespace: string;
  hashAlgorithm: string;
  /** The raw 64-byte Ed25519 signature. */
  signature: Buffer;
  /** What a security key signed besides the message; null for ssh-ed25519. */
  sk: { flags: number; counter: number } | null;
}

export type SshsigCheck =
  | {
      valid: true;
      fingerprint: string;
      namespace: string;
      hashAlgorithm: SshsigHash;
      /** For security keys: whether the user touched it (always true when accepted with the default) and verified (PIN or biometric). */
      sk: { userPresent: boolean; userVerified: boolean; counter: number } | null;
    }
  | { valid: false; fingerprint: string; reason: string };

export function armorSshSignature(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

function dearmor(text: string, where: string): Buffer {
  const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  if (lines[0]?.trim() !== BEGIN) {
    throw badInput(`${where} does not start with "${BEGIN}"; give the .sig file that ssh-keygen -Y sign or firebreak signoff sign wrote.`);
  }
  const end = lines.findIndex((l) => l.trim() === END);
  if (end < 0) throw badInput(`${where} has no "${END}" line; it may be cut short.`);
  if (end !== lines.length - 1) throw badInput(`${where} has text after its "${END}" line.`);
  const body = lines.slice(1, end).map((l) => l.trim());
  const bad = body.findIndex((l) => !/^[A-Za-z0-9+/]*={0,2}$/.test(l));
  if (bad >= 0) throw badInput(`${where}: line ${bad + 2} is not base64.`);
  const b64 = body.join('');
  if (b64.length === 0) throw badInput(`${where} is empty between its BEGIN and END lines.`);
  if (b64.length % 4 !== 0 || /=[^=]/.test(b64)) throw badInput(`${where} is not valid base64 (wrong length or padding inside).`);
  return Buffer.from(b64, 'base64');
}

/** The SSHSIG blob (before armor) of a signature: the inverse of parseSshSignature. */
export function encodeSshSignature(sig: SshSignature): Buffer {
  const value = [sshString(sig.key.type), sshString(sig.signature)];
  if (sig.sk) value.push(Buffer.of(sig.sk.flags), sshUint32(sig.sk.counter));
  return Buffer.concat([
    MAGIC,
    sshUint32(VERSION),
    sshString(sig.key.blob),
    sshString(sig.namespace),
    sshString(''),
    sshString(sig.hashAlgorithm),
    sshString(Buffer.concat(value)),
  ]);
}

/** Reads an armored SSH signature; a malformed one is refused with what is wrong with it. */
export function parseSshSignature(armored: string | Buffer, where = 'the SSH signature'): SshSignature {
  const blob = dearmor(typeof armored === 'string' ? armored : armored.toString('utf8'), where);
  if (blob.length < MAGIC.length || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw badInput(`${where} is not an SSHSIG signature (no SSHSIG preamble).`);
  const r = new SshReader(blob.subarray(MAGIC.length), where);
  const version = r.uint32('version');
  if (version !== VERSION) throw badInput(`${where} is SSHSIG version ${version}; Firebreak reads version ${VERSION}.`);
  const key = decodeSshPublicKey(r.string('public key'), `the key in ${where}`);
  const namespace = r.text('namespace');
  r.string('reserved field');
  const hashAlgorithm = r.text('hash algorithm');
  const sigBlob = r.string('signature');
  r.end();

  const s = new SshReader(sigBlob, `the signature value in ${where}`);
  const sigType = s.text('signature type');
  if (sigType !== key.type) throw badInput(`${where} carries a ${sigType} signature from a ${key.type} key.`);
  const signature = s.string('Ed25519 signature');
  if (signature.length !== 64) throw badInput(`${where} has an Ed25519 signature of ${signature.length} bytes; it has 64.`);
  const sk = sigType === SK_SSH_ED25519 ? { flags: s.byte('flags'), counter: s.uint32('counter') } : null;
  s.end();
  return { key, namespace, hashAlgorithm, signature: Buffer.from(signature), sk };
}

const toBytes = (m: Buffer | Uint8Array | string): Buffer => (typeof m === 'string' ? Buffer.from(m, 'utf8') : Buffer.from(m.buffer, m.byteOffset, m.byteLength));

/** What the key signs: the SSHSIG preamble, namespace, hash algorithm and the message's hash. */
export function sshsigSignedData(message: Buffer, namespace: string, hash: string): Buffer {
  const digest = createHash(hash).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hash), sshString(digest)]);
}

/** What a security key signs over SSHSIG's data (ssh-ed25519-sk.c): H(application) || flags || counter || H(data). */
export function skSignedData(application: string, flags: number, counter: number, data: Buffer): Buffer {
  const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
  return Buffer.concat([sha256(application), Buffer.of(flags), sshUint32(counter), sha256(data)]);
}

/**
 * An Ed25519 key that signs without showing its private half, e.g. a key store's key: its public key and a raw
 * Ed25519 sign function returning the 64-byte signature.
 */
export interface Ed25519Signer {
  publicKey: SshPublicKey;
  sign(data: Buffer): Buffer;
}

/**
 * Signs the message as `ssh-keygen -Y sign -n NAMESPACE` would with the same key: Firebreak's own Ed25519 private key
 * (a node:crypto KeyObject, or a signer that holds one). Returns the armored signature, newline-terminated; the same
 * key, message and namespace give the same bytes as ssh-keygen (Ed25519 is deterministic).
 */
export function signSshsig(message: Buffer | Uint8Array | string, key: KeyObject | Ed25519Signer, namespace: string, hash: SshsigHash = 'sha512'): string {
  if (!namespace || !/^[\x21-\x7e]+$/.test(namespace)) throw badInput(`The signature namespace "${namespace}" must be non-empty printable ASCII without spaces.`);
  if (!HASHES.includes(hash)) throw badInput(`The hash algorithm ${String(hash)} is not one of ${HASHES.join(', ')}.`);
  let signer: Ed25519Signer;
  if (key instanceof KeyObject) {
    if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw badInput('An SSH signature is made with an Ed25519 private key.');
    signer = { publicKey: sshPublicKeyFromKeyObject(key), sign: (data) => sign(null, data, key) };
  } else {
    if (key.publicKey.type !== SSH_ED25519) throw badInput(`Firebreak signs with ${SSH_ED25519} keys; a ${key.publicKey.type} key signs with its own device.`);
    signer = key;
  }
  const data = sshsigSignedData(toBytes(message), namespace, hash);
  const signature = signer.sign(data);
  const made = { key: signer.publicKey, namespace, hashAlgorithm: hash, signature, sk: null };
  // A signer is trusted to hold the key it names only after its signature checks out.
  if (signature.length !== 64 || !verify(null, data, ed25519KeyObject(signer.publicKey), signature)) {
    throw badInput(`The signer's signature does not verify under its public key ${signer.publicKey.fingerprint}; it holds another key.`);
  }
  return armorSshSignature(encodeSshSignature(made));
}

export interface SshsigExpectation {
  /** The namespace the signature must be bound to, e.g. SIGNOFF_NAMESPACE. */
  namespace: string;
  /** The enrolled signer's key; a signature by any other key is not valid. */
  key: SshPublicKey;
  /** Refuse a security key signature made without a touch (default true, as ssh-keygen's default key does). */
  requireUserPresence?: boolean;
}

/**
 * Checks the signature over the message as `ssh-keygen -Y verify -n NAMESPACE` does against an allowed_signers line
 * holding `expect.key`. A malformed signature throws (bad input); a well-formed one that does not hold returns
 * `valid: false` with the reason.
 */
export function verifySshsig(signature: SshSignature | string | Buffer, message: Buffer | Uint8Array | string, expect: SshsigExpectation): SshsigCheck {
  const sig = typeof signature === 'string' || Buffer.isBuffer(signature) ? parseSshSignature(signature) : signature;
  const fingerprint = sig.key.fingerprint;
  const no = (reason: string): SshsigCheck => ({ valid: false, fingerprint, reason });
  if (sig.namespace !== expect.namespace) return no(`the signature is for the namespace "${sig.namespace}", not "${expect.namespace}"`);
  if (!HASHES.includes(sig.hashAlgorithm)) return no(`the signature uses the hash algorithm "${sig.hashAlgorithm}"; accepted are ${HASHES.join(', ')}`);
  if (!sameSshKey(sig.key, expect.key)) return no(`the signature was made by the key ${fingerprint}, not by the expected key ${expect.key.fingerprint}`);

  const data = sshsigSignedData(toBytes(message), sig.namespace, sig.hashAlgorithm);
  const verifyingKey = ed25519KeyObject(sig.key);
  if (!sig.sk) {
    if (!verify(null, data, verifyingKey, sig.signature)) return no('the signature does not match the message (the message or the signature was changed)');
    return { valid: true, fingerprint, namespace: sig.namespace, hashAlgorithm: sig.hashAlgorithm as SshsigHash, sk: null };
  }
  const { flags, counter } = sig.sk;
  const signed = skSignedData(sig.key.application ?? '', flags, counter, data);
  if (!verify(null, signed, verifyingKey, sig.signature)) {
    return no('the security key signature does not match the message, its application, flags or counter (something was changed)');
  }
  const userPresent = (flags & SK_USER_PRESENT) !== 0;
  if ((expect.requireUserPresence ?? true) && !userPresent) return no('the security key signed without the user touching it (no user-presence flag)');
  return {
    valid: true,
    fingerprint,
    namespace: sig.namespace,
    hashAlgorithm: sig.hashAlgorithm as SshsigHash,
    sk: { userPresent, userVerified: (flags & SK_USER_VERIFIED) !== 0, counter },
  };
}
