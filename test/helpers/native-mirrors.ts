import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import { tempDir } from './temp';

/** A local HTTP server standing in for a download host; it records every path asked for. */
export interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Stands in for nodejs.org/dist or artifacts.electronjs.org/headers/dist, serving one version's headers as node-gyp's
 * install asks for them: `/v<version>/node-v<version>-headers.tar.gz` (first path component stripped on extraction,
 * `include/node/...` inside) and `/v<version>/SHASUMS256.txt`, which it checks the tarball against.
 */
export function startHeadersMirror(version: string, includeNodeDir: string): Promise<Mirror> {
  const tarballName = `node-v${version}-headers.tar.gz`;
  const tarball = tarGz({ [`node-v${version}/include/node`]: { symlinkTo: includeNodeDir } });
  const shasums = `${createHash('sha256').update(tarball).digest('hex')}  ${tarballName}\n`;
  const files = new Map([
    [`/v${version}/${tarballName}`, tarball],
    [`/v${version}/SHASUMS256.txt`, Buffer.from(shasums)],
  ]);
  return serve((path) => files.get(path));
}

/** Stands in for better-sqlite3's GitHub releases (prebuild-install): any `.tar.gz` asked for holds this binary. */
export function startPrebuiltMirror(binary: Buffer): Promise<Mirror> {
  const tarball = tarGz({ 'build/Release/better_sqlite3.node': { content: binary } });
  return serve((path) => (path.endsWith('.tar.gz') ? tarball : undefined));
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function serve(file: (path: string) => Buffer | undefined): Promise<Mirror> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    requests.push(path);
    const body = file(path);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(body ?? 'not found');
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

type Entry = { content: Buffer } | { symlinkTo: string };

/** A gzipped tarball of the given entries, made with the system's tar; -h packs what symlinks point at. */
function tarGz(entries: Record<string, Entry>): Buffer {
  const staging = tempDir('firebreak-tarball-');
  try {
    const root = join(staging.path, 'root');
    for (const [path, entry] of Object.entries(entries)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      if ('content' in entry) writeFileSync(join(root, path), entry.content);
      else symlinkSync(entry.symlinkTo, join(root, path));
    }
    const top = [...new Set(Object.keys(entries).map((p) => p.split('/')[0]!))];
    const out = join(staging.path, 'out.tar.gz');
    const tar = spawnSync('tar', ['-czhf', out, '-C', root, ...top], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr || tar.error?.message}`);
    return readFileSync(out);
  } finally {
    staging.cleanup();
  }
}
