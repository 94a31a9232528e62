// Electronegativity over the Electron-facing code (main, preload, the renderer's HTML). Fails on any HIGH or MEDIUM
// finding that is not justified in place with an `eng-disable CHECK_ID: reason` comment.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
}
type Run = (o: Record<string, unknown>) => Promise<{ globalChecks: number; atomicChecks: number; errors: { file: string; message: string }[]; issues: Issue[] }>;

const require = createRequire(import.meta.url);
// The package's own CLI breaks against a newer hoisted commander; its runner is the documented programmatic entry.
const run = require('@doyensec/electronegativity/dist/runner.js') as Run;

const input = mkdtempSync(join(tmpdir(), 'firebreak-electronegativity-'));
try {
  for (const [from, to] of [
    ['electron/main', 'main'],
    ['electron/preload', 'preload'],
    ['renderer/index.html', 'renderer/index.html'],
    ['package.json', 'package.json'],
  ] as const) {
    cpSync(from, join(input, to), { recursive: true });
  }
  const silence = console.log;
  const warn = console.warn;
  console.log = () => {};
  console.warn = () => {};
  let result;
  try {
    result = await run({ input, isSarif: false, customScan: [], excludeFromScan: [], severitySet: 'informational', confidenceSet: 'tentative', isRelative: true });
  } finally {
    console.log = silence;
    console.warn = warn;
  }
  const blocking = result.issues.filter((i) => i.severity.name === 'HIGH' || i.severity.name === 'MEDIUM');
  const rest = result.issues.filter((i) => !blocking.includes(i));
  const show = (i: Issue) => `  ${i.severity.name.padEnd(13)} ${i.id.padEnd(32)} ${i.file}:${i.location.line}  ${i.description}`;
  console.log(`electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} findings (${blocking.length} HIGH/MEDIUM)`);
  for (const i of rest) console.log(show(i));
  for (const e of result.errors) console.log(`  parse problem in ${e.file}: ${e.message}`);
  if (blocking.length) {
    console.error('HIGH/MEDIUM findings (fix them, or justify in place with an eng-disable comment):');
    for (const i of blocking) console.error(show(i));
    process.exitCode = 1;
  }
} finally {
  rmSync(input, { recursive: true, force: true });
}
