import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface ServedApp {
  /** The URL firebreak serve printed, token included. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
}

/** Starts `firebreak serve --port 0` on its own empty data directory and waits for its URL line. */
async function serve(dataDir: string): Promise<{ app: ServedApp; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`firebreak serve printed no URL in 30 s:\n${out}\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`firebreak serve exited with ${code}:\n${err}`)));
  });
  const { origin } = new URL(url);
  return { app: { url, origin, token: url.split('#token=')[1] ?? '', dataDir }, child };
}

export const test = base.extend<{ app: ServedApp }>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-'));
    const { app, child } = await serve(dataDir);
    await use(app);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
