/**
 * Signs CloudTrail digest files the way CloudTrail does (RSA PKCS#1 v1.5 / SHA-256 over the documented string), with
 * an RSA key generated for the test, and writes the ListPublicKeys JSON that verify-digests reads.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface TestKey {
  privateKey: KeyObject;
  fingerprint: string;
  /** Base64 DER PKCS#1, as ListPublicKeys returns it. */
  publicBase64: string;
}

export function makeKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { privateKey, fingerprint: createHash('md5').update(der).digest('hex'), publicBase64: der.toString('base64') };
}

export function writePublicKeys(path: string, keys: TestKey[]): void {
  writeFileSync(
    path,
    JSON.stringify({
      PublicKeyList: keys.map((k) => ({
        Value: k.publicBase64,
        ValidityStartTime: '2026-01-01T00:00:00Z',
        ValidityEndTime: '2027-01-01T00:00:00Z',
        Fingerprint: k.fingerprint,
      })),
    }),
  );
}

const uncompressed = (path: string) => {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
};

export interface DigestChainOptions {
  /** The folder that holds AWSLogs/. */
  root: string;
  key: TestKey;
  account: string;
  region: string;
  bucket?: string;
  /** Log files per digest, in order; each digest lists its group. */
  groups: string[][];
  /** Hour of the first digest. */
  start?: string;
}

/** Writes one digest per group, chained, each with its `.sig`; returns the digest paths. */
export function writeDigestChain(o: DigestChainOptions): string[] {
  const bucket = o.bucket ?? 'trail-bucket';
  const startMs = Date.parse(o.start ?? '2026-03-10T01:00:00Z');
  let prev: { object: string; sha: string; sig: string } | null = null;
  const out: string[] = [];
  o.groups.forEach((group, i) => {
    const end = new Date(startMs + i * 3_600_000);
    const iso = end.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stamp = iso.replace(/[-:]/g, '').slice(0, 15) + 'Z';
    const ymd = iso.slice(0, 10).replace(/-/g, '/');
    const object = `AWSLogs/${o.account}/CloudTrail-Digest/${o.region}/${ymd}/${o.account}_CloudTrail-Digest_${o.region}_trail_${o.region}_${stamp}.json.gz`;
    const doc = {
      awsAccountId: o.account,
      digestStartTime: new Date(end.getTime() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      digestEndTime: iso,
      digestS3Bucket: bucket,
      digestS3Object: object,
      digestPublicKeyFingerprint: o.key.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: iso,
      oldestEventTime: iso,
      previousDigestS3Bucket: prev ? bucket : null,
      previousDigestS3Object: prev?.object ?? null,
      previousDigestHashValue: prev?.sha ?? null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev?.sig ?? null,
      logFiles: group.map((p) => ({
        s3Bucket: bucket,
        s3Object: relative(o.root, p).split('\\').join('/'),
        hashValue: createHash('sha256').update(uncompressed(p)).digest('hex'),
        hashAlgorithm: 'SHA-256',
        newestEventTime: iso,
        oldestEventTime: iso,
      })),
    };
    const text = Buffer.from(JSON.stringify(doc), 'utf8');
    const sha = createHash('sha256').update(text).digest('hex');
    const signed = `${doc.digestEndTime}\n${bucket}/${object}\n${sha}\n${prev?.sig ?? 'null'}`;
    const sig = sign('RSA-SHA256', Buffer.from(signed, 'utf8'), o.key.privateKey).toString('hex');
    const path = join(o.root, object);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(text));
    writeFileSync(`${path}.sig`, `${sig}\n`);
    out.push(path);
    prev = { object, sha, sig };
  });
  return out;
}

export const nameOf = (p: string) => basename(p);
