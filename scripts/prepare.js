// Runs after `npm ci`: builds the UI so that `npx firebreak serve` works with no manual step, and the prebuilt CLI so
// that `firebreak` starts as plain JavaScript (bin/firebreak.js falls back to the TypeScript sources without it).
// Skipped where the dev dependencies are absent (an installed package ships dist/ already).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/vite')) process.exit(0);
const steps = [
  ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
  ['--import', 'tsx', 'scripts/build-cli.ts'],
];
for (const args of steps) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
