import { createHash } from 'node:crypto';

const format = (bytes: Buffer): string => {
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const setVersion = (bytes: Buffer, version: number): Buffer => {
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | (version << 4);
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return bytes;
};

/**
 * A UUID in version-4 layout whose bits come from SHA-256 of the seed rather than a random source. CACAO requires
 * version 4 for steps; deriving the bits keeps exports of the same playbook identical, so they diff and round-trip.
 */
export const derivedUuid4 = (seed: string): string => format(setVersion(createHash('sha256').update(seed, 'utf8').digest(), 4));

/** RFC 4122 version-5 UUID (SHA-1 of namespace and name). */
export function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  return format(setVersion(createHash('sha1').update(ns).update(name, 'utf8').digest(), 5));
}
