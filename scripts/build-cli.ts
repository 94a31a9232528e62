// Bundles the `firebreak` command into dist/cli/ so that it starts as plain JavaScript instead of compiling TypeScript
// at every start. `npm ci` (scripts/prepare.js) and `npm run build` run it. bin/firebreak.js runs the bundle only while
// the stamp written here still matches every input file, and falls back to tsx otherwise.
import { type Metafile, type Plugin, build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliStamp, type StampedFile, STAMP_FILE, prebuiltCli } from '../bin/prebuilt-cli.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Two folders below the package root, like electron/cli/ in the sources: electron/cli/env.ts finds package.json,
 * playbooks/ and resources/ from its own URL two levels up, and the bundle keeps that true without a special case.
 */
export const CLI_OUT = join('dist', 'cli');

/**
 * Entry points: the CLI, the scan workers of `cloudtrail scan` and `logs scan`, which scan-pool.ts starts from
 * `scan-worker.js` and `logs-worker.js` beside itself,
 * the ledger verification worker (parallel-verify.ts, `ledger-verify-worker.js`) and the thread that copies and hashes
 * the first file of `evidence add` while core loads (warm-intake.ts, `intake-worker.js`).
 * Everything lands flat in dist/cli/ (chunks included), so "beside itself" holds for whichever chunk holds scan-pool.
 */
const ENTRIES = {
  main: 'electron/cli/main.ts',
  'scan-worker': 'electron/core/cloudtrail/analyse/scan-worker.ts',
  'logs-worker': 'electron/core/cloudtrail/analyse/logs-worker.ts',
  'ledger-verify-worker': 'electron/core/ledger/verify-worker.ts',
  'intake-worker': 'electron/core/evidence/intake-worker.ts',
};

/**
 * Pure-JavaScript packages that every command loads are bundled in: Node 20 loads a package module by module (zod alone
 * is about 100 ESM files; commander and yaml are CommonJS), which costs more start-up time than running their code.
 * Every other package stays in node_modules: better-sqlite3 with its native binding, and the heavy packages that only
 * the commands using them load, through import() at their use sites.
 */
const BUNDLED = ['zod', 'yaml', 'commander'];

/** Bundled CommonJS (commander, yaml) calls require() for Node's built-ins, which an ES module must be given. */
const REQUIRE_SHIM = "import { createRequire as __firebreakRequire } from 'node:module'; const require = __firebreakRequire(import.meta.url);";

/** Files that shape the output without being bundled: a change to them makes the bundle stale too. */
const CONFIG_INPUTS = ['scripts/build-cli.ts', 'tsconfig.json', 'package.json', 'bin/prebuilt-cli.js'];

/** Every dependency but the bundled ones, with its subpaths (mysql2/promise, react-dom/server, @aws-sdk/...). */
function externals(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !BUNDLED.includes(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

const posix = (p: string) => p.split(sep).join('/');

function stampOf(root: string, path: string): StampedFile {
  const s = statSync(join(root, path));
  return [posix(path), s.size, s.mtimeMs];
}

const same = (a: StampedFile, b: StampedFile) => a[1] === b[1] && a[2] === b[2];

/** Records each source file's size and mtime just before esbuild reads it, to catch an edit made during the build. */
function statBeforeLoad(root: string, seen: Map<string, StampedFile>): Plugin {
  return {
    name: 'stat-before-load',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        const path = relative(root, args.path);
        seen.set(posix(path), stampOf(root, path));
        return undefined; // esbuild loads the file itself
      });
    },
  };
}

export interface CliBuild {
  /** The bundle's entry, as a file URL. */
  entry: string;
  inputs: number;
  outputs: string[];
}

async function bundleOnce(root: string, outdir: string): Promise<{ metafile: Metafile; changed: string[]; config: StampedFile[]; seen: Map<string, StampedFile> }> {
  const config = CONFIG_INPUTS.map((p) => stampOf(root, p));
  const seen = new Map<string, StampedFile>();
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    splitting: true, // dynamic import() stays a separate chunk: heavy dependencies load only where used
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externals(root),
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    sourcemap: false,
    // Spaces, comments and redundant syntax go (names stay, so a stack trace still names its functions): V8 parses
    // every loaded chunk at each start, and a third fewer bytes took some 30 ms off a scan's start on a 2-core machine.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    plugins: [statBeforeLoad(root, seen)],
  });
  const changed = [...seen.values(), ...config].filter((before) => !same(before, stampOf(root, before[0]))).map((f) => f[0]);
  return { metafile, changed, config, seen };
}

/**
 * Builds dist/cli/ and writes its stamp last: the stamp lists every input (from esbuild's metafile) and output with its
 * size and mtime, which is all bin/firebreak.js compares. The old stamp goes first, so a `firebreak` started mid-build
 * runs from the sources instead of half-written files.
 */
export async function buildCli(root: string = repoRoot): Promise<CliBuild> {
  const outdir = join(root, CLI_OUT);
  mkdirSync(outdir, { recursive: true });
  rmSync(join(outdir, STAMP_FILE), { force: true });
  let attempt = await bundleOnce(root, outdir);
  // A file saved while esbuild read it may be bundled in either version: build again rather than stamp a guess.
  for (let retry = 0; attempt.changed.length > 0 && retry < 2; retry++) attempt = await bundleOnce(root, outdir);
  if (attempt.changed.length > 0) {
    throw new Error(`build-cli: ${attempt.changed.join(', ')} kept changing during the build; run it again when the sources are saved`);
  }
  const { metafile, config, seen } = attempt;
  const inputs = Object.keys(metafile.inputs).map((p) => seen.get(posix(p)) ?? stampOf(root, p));
  const outputs = Object.keys(metafile.outputs).map((p) => posix(relative(CLI_OUT, p)));
  // Chunks of earlier builds have other content hashes in their names; nothing refers to them any more.
  for (const name of readdirSync(outdir)) if (!outputs.includes(name)) rmSync(join(outdir, name), { force: true });
  const stamp: CliStamp = {
    format: 1,
    entry: 'main.js',
    files: [...inputs, ...config, ...outputs.map((o) => stampOf(root, join(CLI_OUT, o)))],
  };
  const tmp = join(outdir, `${STAMP_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(stamp)}\n`);
  renameSync(tmp, join(outdir, STAMP_FILE));
  const entry = prebuiltCli(root);
  if (!entry) throw new Error(`build-cli: the stamp in ${join(outdir, STAMP_FILE)} does not match the files it lists`);
  return { entry, inputs: inputs.length, outputs };
}

/** Builds only when bin/firebreak.js would not run the bundle (none yet, or an input changed): what tests call first. */
export async function ensureCliBuilt(root: string = repoRoot): Promise<string> {
  return prebuiltCli(root) ?? (await buildCli(root)).entry;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = performance.now();
  const built = await buildCli();
  console.log(`built ${CLI_OUT}/ (${built.outputs.length} files from ${built.inputs} sources) in ${Math.round(performance.now() - t)} ms`);
}
