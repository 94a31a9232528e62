import { type KeyObject, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';
import { ZipFile } from 'yazl';

export async function zipEntries(zipPath: string): Promise<Array<[string, Buffer]>> {
  const zip = await openPromise(zipPath, { lazyEntries: true, autoClose: false });
  const out: Array<[string, Buffer]> = [];
  try {
    for await (const e of zip.eachEntry()) {
      if (e.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      out.push([e.fileName, Buffer.concat(chunks)]);
    }
  } finally {
    zip.close();
  }
  return out;
}

/** Unzips as a reviewer would (unzip is not on every CI machine). */
export async function extract(zipPath: string, into: string): Promise<void> {
  for (const [name, bytes] of await zipEntries(zipPath)) {
    const path = join(into, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}

/** Rewrites a zip with `change` applied to every file (path relative to the bundle folder); null drops the file. */
export async function rewrite(src: string, dst: string, change: (path: string, bytes: Buffer) => Buffer | null): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of await zipEntries(src)) {
    const rel = name.slice(name.indexOf('/') + 1);
    const next = change(rel, bytes);
    if (next) zip.addBuffer(next, name);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(dst));
}

/** A key of the forger's own, to sign a forged SHA256SUMS with. */
export interface ForgerKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

export function forgerKey(): ForgerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return { privateKey, publicKeyPem, fingerprint: sha256(publicKey.export({ type: 'spki', format: 'der' })) };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Rewrites a bundle as a forger who knows the format would: `change` edits the files (by path in the bundle folder),
 * then SHA256SUMS is made again over every file. With `signWith`, the forger also signs it with their own key: exporter.pem
 * becomes theirs and its fingerprint replaces the exporter's in bundle.json and VERIFY.txt. Without, the exporter's
 * SHA256SUMS.sig is kept (and no longer verifies).
 */
export async function forgeBundle(src: string, dst: string, change: (files: Map<string, Buffer>) => void, o: { signWith?: ForgerKey } = {}): Promise<void> {
  const files = new Map<string, Buffer>();
  let root = '';
  for (const [name, bytes] of await zipEntries(src)) {
    root = name.slice(0, name.indexOf('/') + 1);
    files.set(name.slice(root.length), bytes);
  }
  change(files);
  const key = o.signWith;
  if (key) {
    const index = JSON.parse((files.get('bundle.json') as Buffer).toString('utf8')) as { exporter: { fingerprint: string } };
    const was = index.exporter.fingerprint;
    index.exporter.fingerprint = key.fingerprint;
    files.set('bundle.json', Buffer.from(`${JSON.stringify(index, null, 2)}\n`));
    files.set('VERIFY.txt', Buffer.from((files.get('VERIFY.txt') as Buffer).toString('utf8').split(was).join(key.fingerprint)));
    files.set('exporter.pem', Buffer.from(key.publicKeyPem));
  }
  const sums = Buffer.from(
    [...files]
      .filter(([p]) => p !== 'SHA256SUMS' && p !== 'SHA256SUMS.sig')
      .map(([p, b]) => `${sha256(b)}  ${p}\n`)
      .join(''),
  );
  files.set('SHA256SUMS', sums);
  if (key) files.set('SHA256SUMS.sig', sign(null, sums, key.privateKey));
  const zip = new ZipFile();
  for (const [rel, bytes] of files) zip.addBuffer(bytes, `${root}${rel}`);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(dst));
}

/** Tampers with one file and, like a careful forger, rewrites SHA256SUMS to match (and signs it, given a key). */
export async function forge(src: string, dst: string, path: string, change: (bytes: Buffer) => Buffer, o: { signWith?: ForgerKey } = {}): Promise<void> {
  await forgeBundle(src, dst, (files) => void files.set(path, change(files.get(path) as Buffer)), o);
}

/** Writes these entries as a zip, as given (duplicate names included). */
export async function writeZip(dst: string, files: Array<[string, Buffer]>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(dst));
}
