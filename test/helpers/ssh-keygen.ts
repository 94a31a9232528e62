import { type KeyObject, createPrivateKey, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type SshPublicKey, skEd25519PublicKey, sshPublicKeyFromKeyObject } from '../../electron/core/trust/ssh-public-key';
import { SshReader } from '../../electron/core/trust/ssh-wire';
import { armorSshSignature, encodeSshSignature, skSignedData, sshsigSignedData } from '../../electron/core/trust/sshsig';

/** Runs the real ssh-keygen (apt openssh-client); never throws, the caller asserts on status and output. */
export function sshKeygen(args: string[], options: { cwd?: string; input?: string | Buffer } = {}) {
  const r = spawnSync('ssh-keygen', args, { cwd: options.cwd, input: options.input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh passphrase-less ssh-ed25519 key made by ssh-keygen in dir: `name` (private) and `name.pub`. */
export function sshKeygenEd25519(dir: string, name: string, comment = name): { privatePath: string; publicPath: string; line: string } {
  const privatePath = join(dir, name);
  const r = sshKeygen(['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privatePath]);
  if (r.status !== 0) throw new Error(`ssh-keygen -t ed25519 failed: ${r.stderr}`);
  return { privatePath, publicPath: `${privatePath}.pub`, line: readFileSync(`${privatePath}.pub`, 'utf8').trim() };
}

/**
 * `ssh-keygen -Y sign -n NAMESPACE -f KEY FILE`, returning the FILE.sig it writes. An existing FILE.sig is removed
 * first: ssh-keygen would otherwise ask before overwriting it, read no answer, and exit 0 with the old signature.
 */
export function sshKeygenSign(privatePath: string, filePath: string, namespace: string, extra: string[] = []): string {
  rmSync(`${filePath}.sig`, { force: true });
  const r = sshKeygen(['-Y', 'sign', '-n', namespace, ...extra, '-f', privatePath, filePath]);
  if (r.status !== 0) throw new Error(`ssh-keygen -Y sign failed: ${r.stderr}`);
  return readFileSync(`${filePath}.sig`, 'utf8');
}

/** What `ssh-keygen -lf FILE` prints: bits, fingerprint, comment, type. */
export function keygenFingerprint(publicPath: string): { fingerprint: string; line: string } {
  const r = sshKeygen(['-lf', publicPath]);
  if (r.status !== 0) throw new Error(`ssh-keygen -lf ${publicPath} failed: ${r.stderr}`);
  return { fingerprint: r.stdout.split(' ')[1] as string, line: r.stdout.trim() };
}

/**
 * A stand-in security key: an Ed25519 key pair whose public half is published as sk-ssh-ed25519@openssh.com, and
 * which signs as a FIDO authenticator does (PROTOCOL.u2f), with chosen flags and counter. There is no hardware here;
 * ssh-keygen -Y verify checks what it makes exactly as it checks a real key's signatures.
 */
export function fakeSecurityKey(privateKey: KeyObject, application = 'ssh:') {
  const publicKey: SshPublicKey = skEd25519PublicKey(sshPublicKeyFromKeyObject(privateKey).ed25519, application, 'fake-sk');
  return {
    publicKey,
    sign(message: Buffer, namespace: string, sk: { flags: number; counter: number }, hashAlgorithm: 'sha512' | 'sha256' = 'sha512'): string {
      const data = sshsigSignedData(message, namespace, hashAlgorithm);
      const signature = sign(null, skSignedData(application, sk.flags, sk.counter, data), privateKey);
      return armorSshSignature(encodeSshSignature({ key: publicKey, namespace, hashAlgorithm, signature, sk }));
    },
  };
}

/**
 * The Ed25519 private key of an unencrypted OpenSSH key file (PROTOCOL.key) as a node:crypto KeyObject, so a test
 * can sign with the very key ssh-keygen signs with (ssh-keygen cannot export Ed25519 keys as PKCS#8).
 */
export function readOpenSshEd25519PrivateKey(privatePath: string): KeyObject {
  const body = readFileSync(privatePath, 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
  const data = Buffer.from(body, 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!data.subarray(0, magic.length).equals(magic)) throw new Error(`${privatePath} is not an OpenSSH private key`);
  const r = new SshReader(data.subarray(magic.length), privatePath);
  if (r.text('cipher') !== 'none') throw new Error(`${privatePath} is encrypted`);
  r.text('kdf');
  r.string('kdf options');
  r.uint32('key count');
  r.string('public key');
  const p = new SshReader(r.string('private keys'), privatePath);
  p.uint32('check 1');
  p.uint32('check 2');
  p.text('key type');
  const pub = p.string('public');
  const secret = p.string('secret');
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: secret.subarray(0, 32).toString('base64url'), x: pub.toString('base64url') }, format: 'jwk' });
}
