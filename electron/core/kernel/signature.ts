import { createHash, createPublicKey, verify } from 'node:crypto';
import type { SignOffStatement } from '../../shared/signoff';
import { canonicalJson } from '../ledger/canonical-json';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** SHA-256 of the key's DER SubjectPublicKeyInfo: `openssl pkey -pubin -in signer.pem -outform DER | sha256sum`. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  return sha256Hex(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }));
}

/** The signed message: the statement's canonical JSON, byte for byte what the bundle's statement.json holds. */
export const statementBytes = (s: SignOffStatement): Buffer => Buffer.from(canonicalJson(s), 'utf8');

/** True when the Ed25519 signature holds over the message; false for a bad signature, key or encoding. */
export function verifySignature(message: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519' || signature.length !== 64) return false;
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
