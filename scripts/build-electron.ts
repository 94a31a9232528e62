// Bundles the Electron main process and the preload into dist/electron/ (CommonJS, as sandboxed preloads require).
import { build } from 'esbuild';

const external = ['electron', 'better-sqlite3', 'pg', 'pg-query-stream', 'mysql2', '@aws-sdk/*', 'playwright-core', 'yazl', 'yauzl'];

await build({
  entryPoints: { main: 'electron/main/main.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external,
  sourcemap: false,
  logLevel: 'warning',
});

await build({
  entryPoints: { preload: 'electron/preload/preload.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  sourcemap: false,
  logLevel: 'warning',
});
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
