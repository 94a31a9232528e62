#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step after `npm ci`): tsx compiles on the fly and caches.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
