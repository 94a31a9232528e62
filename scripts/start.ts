// `npm start`: builds, then launches Electron where its binary exists (fetching it first when missing and the network
// allows) and better-sqlite3 is built for it (rebuilding it first when missing or stale); otherwise says so plainly and
// runs browser mode, printing the URL.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY_FILE, defaultOutDir, electronNativeStaleness, rebuildElectronNative } from './rebuild-electron-native';

const require = createRequire(import.meta.url);
const node = process.execPath;

function run(args: string[], what: string): void {
  const r = spawnSync(node, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`firebreak: ${what} failed`);
    process.exit(r.status ?? 1);
  }
}

function electronBinary(): string | null {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    const path = require('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

function fetchElectron(): boolean {
  if (process.env.FIREBREAK_NO_ELECTRON_FETCH || process.env.CI) return false;
  console.log('Electron is not installed yet; trying to download it (this needs internet access)…');
  const r = spawnSync(node, [require.resolve('electron/install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (r.status !== 0) {
    const reason = (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? (r.error?.message || 'unknown reason');
    console.log(`The download failed: ${reason.trim()}`);
  }
  return r.status === 0 && electronBinary() !== null;
}

/** The desktop app opens its database with better-sqlite3 built for Electron's ABI (electron/main/main.ts). */
async function electronSqliteReady(): Promise<boolean> {
  // main.ts prefers this developer override to build/electron-native, so a rebuild would change nothing.
  if (process.env.FIREBREAK_SQLITE_BINDING) return true;
  const stale = electronNativeStaleness();
  if (!stale) return true;
  console.log(`The desktop app needs better-sqlite3 built for Electron, and ${stale}; rebuilding it now.`);
  const rebuilt = await rebuildElectronNative();
  if (rebuilt.ok) return true;
  console.log(rebuilt.error);
  // A binary that is there but unrecorded (built by hand, or by an older Firebreak) may well fit: try it rather than
  // give up the desktop app; if it does not, the app says so and names the remedy.
  if (existsSync(join(defaultOutDir, BINARY_FILE))) {
    console.log(`Launching with the existing ${join('build', 'electron-native', BINARY_FILE)} as it is.`);
    return true;
  }
  return false;
}

run(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], 'building the UI');
run(['node_modules/tsx/dist/cli.mjs', 'scripts/build-electron.ts'], 'building the Electron main process');

const binary = electronBinary() ?? (fetchElectron() ? electronBinary() : null);
const sqliteReady = binary !== null && (await electronSqliteReady());
if (binary && sqliteReady) {
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    (binary
      ? 'Electron is installed, but better-sqlite3 could not be built for it (see above), so Firebreak runs in browser mode.\n'
      : 'Electron is not available on this machine (its binary could not be downloaded), so Firebreak runs in browser mode.\n') +
      'Open the URL below in Chromium, Chrome, Edge or Firefox. It listens on 127.0.0.1 only; the token in the URL is this run\'s key.',
  );
  const port = process.env.FIREBREAK_PORT ?? '0';
  const child = spawn(node, ['bin/firebreak.js', 'serve', '--port', port], { stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
