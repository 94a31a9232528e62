#!/usr/bin/env node
// Runs the prebuilt JavaScript in dist/cli/ (made by `npm ci` and `npm run build`) when it was built from the sources
// as they are now; otherwise tsx compiles the TypeScript sources on the fly, so an edited .ts file never runs stale.
// FIREBREAK_FROM_SOURCES=1 forces the sources.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltCli } from './prebuilt-cli.js';

const prebuilt = process.env.FIREBREAK_FROM_SOURCES === '1' ? null : prebuiltCli(dirname(dirname(fileURLToPath(import.meta.url))));
let cli;
if (prebuilt) {
  cli = await import(prebuilt);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../electron/cli/main.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
