// Runs after `npm ci`: builds the UI so that `npx firebreak serve` works with no manual step.
// Skipped where the dev dependencies are absent (an installed package ships dist/ already).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/vite')) process.exit(0);
const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
