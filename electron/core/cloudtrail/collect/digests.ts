import { type KeyObject, createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { DigestCheck, DigestFileStatus, DigestVerification, LogFileCheck } from '../../../shared/cloudtrail';
import { badInput } from '../../errors';

const DIGEST_NAME = /_CloudTrail-Digest_.*\.json(\.gz)?$/;
const LOG_NAME = /_CloudTrail_.*\.json(\.gz)?$/;
const MAX_DIGEST_BYTES = 64 * 1024 * 1024;

interface DigestDoc {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestSignature: string | null;
  logFiles: Array<{ s3Object: string; hashValue: string }>;
}

interface LoadedDigest {
  path: string;
  doc: DigestDoc | null;
  sha256: string | null;
  signature: string | null;
  check: DigestCheck;
}

/** The ListPublicKeys JSON (as the API or `aws cloudtrail list-public-keys` returns it): keys by fingerprint. */
export function parsePublicKeys(text: string, where: string): Map<string, KeyObject> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badInput(`${where} is not JSON (${(e as Error).message}); expected the output of ListPublicKeys.`);
  }
  const lists = Array.isArray(json) ? json : [json];
  const keys = new Map<string, KeyObject>();
  for (const doc of lists) {
    const list = (doc as { PublicKeyList?: unknown })?.PublicKeyList ?? (Array.isArray(doc) ? doc : null);
    if (!Array.isArray(list)) throw badInput(`${where} has no PublicKeyList; expected the output of ListPublicKeys.`);
    for (const [i, k] of list.entries()) {
      const { Value, Fingerprint } = (k ?? {}) as { Value?: unknown; Fingerprint?: unknown };
      if (typeof Value !== 'string' || typeof Fingerprint !== 'string') {
        throw badInput(`${where}: PublicKeyList[${i}] needs a base64 Value and a Fingerprint.`);
      }
      try {
        keys.set(Fingerprint.toLowerCase(), createPublicKey({ key: Buffer.from(Value, 'base64'), format: 'der', type: 'pkcs1' }));
      } catch (e) {
        throw badInput(`${where}: PublicKeyList[${i}] (${Fingerprint}) is not a DER PKCS#1 RSA public key (${(e as Error).message}).`);
      }
    }
  }
  if (keys.size === 0) throw badInput(`${where} lists no public keys.`);
  return keys;
}

/** The string CloudTrail signs for a digest (AWS's documented algorithm, see reference/README.md). */
export const digestSigningString = (d: Pick<DigestDoc, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, sha256Hex: string): string =>
  `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256Hex}\n${d.previousDigestSignature ?? 'null'}`;

async function walk(dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function parseDigest(bytes: Buffer): DigestDoc {
  const j = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  const need = ['digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint'] as const;
  for (const k of need) if (!str(j[k])) throw new Error(`it has no ${k}`);
  if (!Array.isArray(j.logFiles)) throw new Error('it has no logFiles list');
  return {
    digestStartTime: str(j.digestStartTime) ?? '',
    digestEndTime: j.digestEndTime as string,
    digestS3Bucket: j.digestS3Bucket as string,
    digestS3Object: j.digestS3Object as string,
    digestPublicKeyFingerprint: (j.digestPublicKeyFingerprint as string).toLowerCase(),
    previousDigestS3Object: str(j.previousDigestS3Object),
    previousDigestHashValue: str(j.previousDigestHashValue),
    previousDigestSignature: str(j.previousDigestSignature),
    logFiles: (j.logFiles as unknown[]).map((f) => ({ s3Object: String((f as Record<string, unknown>)?.s3Object ?? ''), hashValue: String((f as Record<string, unknown>)?.hashValue ?? '').toLowerCase() })),
  };
}

async function loadDigest(path: string, keys: Map<string, KeyObject>): Promise<LoadedDigest> {
  const check: DigestCheck = { path, digestS3Object: null, digestEndTime: null, signature: 'missing', chain: 'first', reason: null };
  const out: LoadedDigest = { path, doc: null, sha256: null, signature: null, check };
  let bytes: Buffer;
  try {
    const raw = await readFile(path);
    bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw, { maxOutputLength: MAX_DIGEST_BYTES }) : raw;
    out.doc = parseDigest(bytes);
  } catch (e) {
    check.signature = 'invalid';
    check.reason = `the digest file cannot be read: ${(e as Error).message}`;
    return out;
  }
  const doc = out.doc;
  out.sha256 = createHash('sha256').update(bytes).digest('hex');
  check.digestS3Object = doc.digestS3Object;
  check.digestEndTime = doc.digestEndTime;
  let sigText: string;
  try {
    sigText = (await readFile(`${path}.sig`, 'utf8')).trim().toLowerCase();
  } catch {
    check.reason = `no signature: ${basename(path)}.sig is missing (save the S3 object's x-amz-meta-signature beside it)`;
    return out;
  }
  if (!/^[0-9a-f]+$/.test(sigText) || sigText.length % 2) {
    check.signature = 'invalid';
    check.reason = `${basename(path)}.sig does not hold a hex signature`;
    return out;
  }
  out.signature = sigText;
  const key = keys.get(doc.digestPublicKeyFingerprint);
  if (!key) {
    check.signature = 'no-key';
    check.reason = `no public key with fingerprint ${doc.digestPublicKeyFingerprint} in the public keys file`;
    return out;
  }
  const ok = verify('RSA-SHA256', Buffer.from(digestSigningString(doc, out.sha256), 'utf8'), key, Buffer.from(sigText, 'hex'));
  check.signature = ok ? 'valid' : 'invalid';
  if (!ok) check.reason = 'the signature does not match the digest (the digest, its signature or its predecessor link was changed)';
  return out;
}

/** SHA-256 of a log file's uncompressed content (what a digest lists), streamed. */
async function sha256OfLog(path: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  const src = createReadStream(path);
  const stream = gz ? src.pipe(createGunzip()) : src;
  if (gz) src.on('error', (e) => stream.destroy(e));
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Checks CloudTrail log file integrity offline: every digest's signature against the saved public keys, the chain
 * from each digest to the one before it, and each listed log file's SHA-256 (of its uncompressed content) against
 * the files found under PATH. Log files under PATH that no digest lists are reported as unlisted.
 */
export async function verifyDigests(path: string, publicKeysFile: string): Promise<DigestVerification> {
  let keysText: string;
  try {
    keysText = await readFile(publicKeysFile, 'utf8');
  } catch (e) {
    throw badInput(`The public keys file ${publicKeysFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const keys = parsePublicKeys(keysText, publicKeysFile);
  let files: string[] = [];
  try {
    const st = await stat(path);
    if (st.isDirectory()) await walk(path, files);
    else files = [path];
  } catch (e) {
    throw badInput(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const digestPaths = files.filter((f) => DIGEST_NAME.test(basename(f))).sort();
  if (digestPaths.length === 0) throw badInput(`No CloudTrail digest files (*_CloudTrail-Digest_*.json.gz) under ${path}.`);
  const logs = new Map(files.filter((f) => LOG_NAME.test(basename(f)) && !DIGEST_NAME.test(basename(f))).map((f) => [basename(f), f]));

  const digests: LoadedDigest[] = [];
  for (const p of digestPaths) digests.push(await loadDigest(p, keys));
  const byObject = new Map(digests.filter((d) => d.doc).map((d) => [(d.doc as DigestDoc).digestS3Object, d]));

  for (const d of digests) {
    if (!d.doc || !d.doc.previousDigestS3Object) continue;
    const prev = byObject.get(d.doc.previousDigestS3Object);
    if (!prev) {
      // Older than every digest given: the start of the set, not a gap.
      const older = digests.some((o) => o.doc && o !== d && o.doc.digestEndTime < d.doc!.digestEndTime && sameChain(o.doc, d.doc!));
      d.check.chain = older ? 'previous-missing' : 'first';
      if (older) d.check.reason = joinReason(d.check.reason, `the previous digest ${basename(d.doc.previousDigestS3Object)} is missing`);
      continue;
    }
    const hashOk = prev.sha256 !== null && d.doc.previousDigestHashValue?.toLowerCase() === prev.sha256;
    const sigOk = prev.signature !== null && d.doc.previousDigestSignature?.toLowerCase() === prev.signature;
    d.check.chain = hashOk && sigOk ? 'ok' : 'broken';
    if (!hashOk) d.check.reason = joinReason(d.check.reason, `previousDigestHashValue does not match ${basename(prev.path)}`);
    else if (!sigOk) d.check.reason = joinReason(d.check.reason, `previousDigestSignature does not match the signature of ${basename(prev.path)}`);
  }

  const listed = new Set<string>();
  const logChecks: LogFileCheck[] = [];
  for (const d of digests) {
    for (const lf of d.doc?.logFiles ?? []) {
      const name = basename(lf.s3Object);
      listed.add(name);
      const local = logs.get(name) ?? null;
      if (!local) {
        logChecks.push({ s3Object: lf.s3Object, path: null, status: 'missing', reason: `listed in ${basename(d.path)} but not found under ${path}` });
        continue;
      }
      try {
        const actual = await sha256OfLog(local);
        const ok = actual === lf.hashValue;
        logChecks.push({ s3Object: lf.s3Object, path: local, status: ok ? 'valid' : 'invalid', reason: ok ? null : `SHA-256 ${actual} differs from ${lf.hashValue} in ${basename(d.path)}` });
      } catch (e) {
        logChecks.push({ s3Object: lf.s3Object, path: local, status: 'invalid', reason: `cannot be read: ${(e as Error).message}` });
      }
    }
  }
  for (const [name, p] of logs) {
    if (!listed.has(name)) logChecks.push({ s3Object: name, path: p, status: 'unlisted', reason: 'not listed in any digest given' });
  }
  const counts: Record<DigestFileStatus, number> = { valid: 0, invalid: 0, missing: 0, unlisted: 0 };
  for (const l of logChecks) counts[l.status]++;
  const checks = digests.map((d) => d.check);
  const digestValid = checks.filter((c) => c.signature === 'valid' && c.chain !== 'broken' && c.chain !== 'previous-missing').length;
  return {
    ok: digestValid === checks.length && counts.invalid === 0 && counts.missing === 0 && counts.unlisted === 0,
    digests: checks,
    logFiles: logChecks,
    counts,
    digestCounts: { valid: digestValid, invalid: checks.length - digestValid },
  };
}

const joinReason = (a: string | null, b: string) => (a ? `${a}; ${b}` : b);

/** Digests of one trail and region: the same folder of the same bucket. */
const sameChain = (a: DigestDoc, b: DigestDoc) =>
  a.digestS3Bucket === b.digestS3Bucket && a.digestS3Object.split('/').slice(0, -4).join('/') === b.digestS3Object.split('/').slice(0, -4).join('/');
