#!/usr/bin/env node
// Runs the prebuilt JavaScript in dist/cli/ (made by `npm ci` and `npm run build`) when it was built from the sources
// as they are now; otherwise tsx compiles the TypeScript sources on the fly, so an edited .ts file never runs stale.
// FIREBREAK_FROM_SOURCES=1 forces the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltCli } from './prebuilt-cli.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const prebuilt = process.env.FIREBREAK_FROM_SOURCES === '1' ? null : prebuiltCli(root);
let cli;
if (prebuilt) {
  cli = await import(prebuilt);
} else {
  const { register } = await import('tsx/esm/api');
  // The package's own tsconfig.json, never the one tsx would look up from the current folder: the reports' JSX and the
  // module settings must not depend on where a user happens to run `firebreak` (a reviewer verifies a bundle where it lies).
  register({ tsconfig: join(root, 'tsconfig.json') });
  cli = await import('../electron/cli/main.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
