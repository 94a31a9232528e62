import { type KeyObject, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SshPublicKey, skEd25519PublicKey, sshPublicKeyFromKeyObject } from '../../electron/core/trust/ssh-public-key';
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
