import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface ServedApp {
  /** The URL firebreak serve printed, token included. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Stops the server (and waits for it), as when firebreak serve is closed under the page. */
  stop(): Promise<void>;
}

/** Starts `firebreak serve --port 0` on a data directory and waits for its URL line. Used by the tests and `npm run screenshots`. */
export async function serve(dataDir: string): Promise<ServedApp> {
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
  return { url, origin, token: url.split('#token=')[1] ?? '', dataDir, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
