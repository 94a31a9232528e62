import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';
import { ZipFile } from 'yazl';

async function entries(zipPath: string): Promise<Array<[string, Buffer]>> {
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
  for (const [name, bytes] of await entries(zipPath)) {
    const path = join(into, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}

/** Rewrites a zip with `change` applied to every file (path relative to the bundle folder); null drops the file. */
export async function rewrite(src: string, dst: string, change: (path: string, bytes: Buffer) => Buffer | null): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of await entries(src)) {
    const rel = name.slice(name.indexOf('/') + 1);
    const next = change(rel, bytes);
    if (next) zip.addBuffer(next, name);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(dst));
}

/** Tampers with one file and, like a careful forger, rewrites SHA256SUMS to match. */
export async function forge(src: string, dst: string, path: string, change: (bytes: Buffer) => Buffer): Promise<void> {
  const { createHash } = await import('node:crypto');
  let newHash = '';
  const first = `${dst}.tmp.zip`;
  await rewrite(src, first, (p, b) => {
    if (p !== path) return b;
    const out = change(b);
    newHash = createHash('sha256').update(out).digest('hex');
    return out;
  });
  await rewrite(first, dst, (p, b) =>
    p === 'SHA256SUMS' ? Buffer.from(b.toString('utf8').replace(new RegExp(`^[0-9a-f]{64}  ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `${newHash}  ${path}`)) : b,
  );
}
