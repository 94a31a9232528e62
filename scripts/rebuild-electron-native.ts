// `npm run rebuild:electron-native`: builds better-sqlite3 for Electron's ABI into build/electron-native/, beside (never
// over) node_modules/better-sqlite3/build, which Node's tests and browser mode keep using. electron/main/main.ts loads
// the result through better-sqlite3's `nativeBinding` option; electron-builder.yml packages it as `native/`.
//
//   tsx scripts/rebuild-electron-native.ts [--target <electron version>] [--dist-url <headers mirror>] [--out <dir>]
//                                          [--arch <arch>] [--from-source] [--verbose]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Electron's current headers host; https://electronjs.org/headers is the legacy name for it. */
export const DEFAULT_HEADERS_MIRROR = 'https://artifacts.electronjs.org/headers/dist';
export const BINARY_FILE = 'better_sqlite3.node';
export const BUILD_INFO_FILE = 'BUILD-INFO.json';

const repoRoot = resolve(import.meta.dirname, '..');
const requireHere = createRequire(join(repoRoot, 'package.json'));
export const defaultOutDir = join(repoRoot, 'build', 'electron-native');

export interface RebuildOptions {
  /** The Electron version to build for; the installed electron package's by default. */
  target?: string;
  /** Where node-gyp fetches headers: `<distUrl>/v<target>/node-v<target>-headers.tar.gz` and `SHASUMS256.txt`. */
  distUrl?: string;
  outDir?: string;
  arch?: string;
  /** Skip the published prebuilt binary and compile. */
  fromSource?: boolean;
  /** Stream node-gyp's and prebuild-install's output as it comes. */
  verbose?: boolean;
  log?: (line: string) => void;
}

export interface BuildInfo {
  electronVersion: string;
  /** Electron's NODE_MODULE_VERSION, from its headers (or node-abi for a prebuilt); null when not discoverable. */
  nodeModuleVersion: number | null;
  arch: string;
  platform: NodeJS.Platform;
  betterSqlite3Version: string;
  source: 'compiled' | 'prebuilt';
  headersUrl: string | null;
  sha256: string;
  builtAt: string;
}

/** Handlers' shape: the error is a message for the person at the terminal. */
export type RebuildResult = { ok: true; value: { binary: string; info: BuildInfo } } | { ok: false; error: string };

const STILL_WORKS = 'Node tests and browser mode are unaffected; only the desktop app needs this binary.';

/** The installed electron package's version (its binary need not be downloaded), or null. */
export function installedElectronVersion(): string | null {
  try {
    return (requireHere('electron/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

export function readBuildInfo(outDir = defaultOutDir): Partial<BuildInfo> | null {
  try {
    return JSON.parse(readFileSync(join(outDir, BUILD_INFO_FILE), 'utf8')) as Partial<BuildInfo>;
  } catch {
    return null;
  }
}

/** Why the Electron binding must be (re)built, or null when it matches what is installed. */
export function electronNativeStaleness(outDir = defaultOutDir, electronVersion = installedElectronVersion()): string | null {
  if (!existsSync(join(outDir, BINARY_FILE))) return `${shown(join(outDir, BINARY_FILE))} is missing`;
  const info = readBuildInfo(outDir);
  if (!info) return `${shown(join(outDir, BUILD_INFO_FILE))} is missing or unreadable`;
  if (info.electronVersion !== electronVersion) return `it was built for Electron ${info.electronVersion}, but Electron ${electronVersion} is installed`;
  const sqliteVersion = packageVersion(betterSqlite3Dir());
  if (info.betterSqlite3Version !== sqliteVersion) return `it was built from better-sqlite3 ${info.betterSqlite3Version}, but ${sqliteVersion} is installed`;
  if (info.arch !== process.arch || info.platform !== process.platform) return `it was built for ${info.platform}-${info.arch}`;
  return null;
}

export async function rebuildElectronNative(options: RebuildOptions = {}): Promise<RebuildResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const target = options.target ?? installedElectronVersion();
  if (!target) return fail('The electron package is not installed, so there is no Electron version to build for; pass --target <version>.');
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(target)) return fail(`"${target}" is not an Electron version (expected e.g. 41.7.1).`);
  const distUrl = (options.distUrl || process.env.ELECTRON_HEADERS_MIRROR || DEFAULT_HEADERS_MIRROR).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(distUrl)) return fail(`The headers mirror must be an http(s) URL; got "${distUrl}".`);
  // The headers' checksums come from the same mirror, so only TLS vouches for them: plain http only on this machine.
  if (/^http:\/\//.test(distUrl) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(distUrl)) {
    return fail(`The headers mirror ${distUrl} is plain http: its headers and their checksums could be altered on the way. Use https (or a mirror on 127.0.0.1).`);
  }
  const outDir = resolve(options.outDir ?? defaultOutDir);
  const arch = options.arch ?? process.arch;
  const packageDir = betterSqlite3Dir();
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) return fail('node-gyp was not found (it ships with npm); run this through `npm run rebuild:electron-native`.');
  const ctx: Context = { target, distUrl, arch, env: childEnv(), log, verbose: options.verbose ?? false };

  const sqliteVersion = packageVersion(packageDir);
  log(`Rebuilding better-sqlite3 ${sqliteVersion} for Electron ${target} (${process.platform}-${arch}) into ${shown(outDir)}.`);
  const work = mkdtempSync(join(tmpdir(), 'firebreak-electron-native-'));
  try {
    // node-gyp builds in place, and node_modules/better-sqlite3/build is Node's binding: build in a copy without it.
    const copy = join(work, 'better-sqlite3');
    cpSync(packageDir, copy, { recursive: true, filter: (src) => src !== join(packageDir, 'build') });
    const built = join(copy, 'build', 'Release', BINARY_FILE);

    let made = options.fromSource ? undefined : await tryPrebuilt(ctx, packageDir, copy, built);
    if (!made) {
      // A private headers folder, never node-gyp's shared cache where the machine's Node headers live.
      const compiled = await buildFromSource(ctx, nodeGyp, join(work, 'headers'), copy, built);
      if (!compiled.ok) return compiled;
      made = compiled.value;
    }
    const binary = join(outDir, BINARY_FILE);
    log(`Writing ${shown(binary)} and ${BUILD_INFO_FILE}.`);
    const info = installAtomically(built, outDir, {
      electronVersion: target,
      nodeModuleVersion: made.nodeModuleVersion,
      arch,
      platform: process.platform,
      betterSqlite3Version: sqliteVersion,
      source: made.source,
      headersUrl: made.headersUrl,
    });
    return { ok: true, value: { binary, info } };
  } catch (e) {
    return fail(`Rebuilding better-sqlite3 for Electron failed: ${e instanceof Error ? e.message : String(e)}\n${STILL_WORKS}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Context {
  target: string;
  distUrl: string;
  arch: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  verbose: boolean;
}

/** How the binary was made, for BUILD-INFO. */
type Made = Pick<BuildInfo, 'nodeModuleVersion' | 'source' | 'headersUrl'>;

/**
 * Tries better-sqlite3's own prebuilt Electron binary (prebuild-install, from its GitHub releases or the mirror in
 * npm_config_better_sqlite3_binary_host): the same source and trust as `npm install better-sqlite3` itself.
 * Undefined means compile instead.
 */
async function tryPrebuilt(ctx: Context, packageDir: string, copy: string, built: string): Promise<Made | undefined> {
  let bin: string;
  try {
    bin = createRequire(join(packageDir, 'package.json')).resolve('prebuild-install/bin.js');
  } catch {
    ctx.log('prebuild-install is not installed; compiling from source.');
    return undefined;
  }
  ctx.log(`Looking for a published prebuilt binary for Electron ${ctx.target} (prebuild-install)…`);
  const args = [bin, '--runtime=electron', `--target=${ctx.target}`, `--arch=${ctx.arch}`, `--platform=${process.platform}`];
  const run = await runTool(args, copy, ctx, 120_000);
  if (run.code === 0 && existsSync(built)) {
    ctx.log('Using the prebuilt binary.');
    return { source: 'prebuilt', headersUrl: null, nodeModuleVersion: prebuiltModuleVersion(bin, ctx.target) };
  }
  const why = run.tail.at(-1)?.replace(/^prebuild-install \S+ \S+ /, '') ?? 'prebuild-install failed';
  ctx.log(`No prebuilt binary (${why}); compiling from source instead.`);
  rmSync(join(copy, 'build'), { recursive: true, force: true });
  return undefined;
}

/** The ABI prebuild-install chose the file by: its own node-abi table. */
function prebuiltModuleVersion(prebuildInstall: string, target: string): number | null {
  try {
    const nodeAbi = createRequire(prebuildInstall)('node-abi') as { getAbi(target: string, runtime: string): string };
    return Number(nodeAbi.getAbi(target, 'electron'));
  } catch {
    return null;
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function buildFromSource(ctx: Context, nodeGyp: string, devDir: string, copy: string, built: string): Promise<Outcome<Made>> {
  const headers = await fetchHeaders(ctx, nodeGyp, devDir);
  if (!headers.ok) return headers;
  const compiled = await compile(ctx, nodeGyp, devDir, copy);
  if (!compiled.ok) return compiled;
  if (!existsSync(built)) return fail(`node-gyp reported success, but ${BINARY_FILE} is not in ${dirname(built)}.`);
  return { ok: true, value: { source: 'compiled', headersUrl: headers.value, nodeModuleVersion: headersModuleVersion(join(devDir, ctx.target)) } };
}

/** Downloads Electron's headers into devDir as a step of its own, so that a network failure reads as one. */
async function fetchHeaders(ctx: Context, nodeGyp: string, devDir: string): Promise<Outcome<string>> {
  const url = `${ctx.distUrl}/v${ctx.target}/node-v${ctx.target}-headers.tar.gz`;
  ctx.log(`Downloading Electron ${ctx.target}'s headers from ${url}…`);
  const args = [nodeGyp, 'install', `--target=${ctx.target}`, `--dist-url=${ctx.distUrl}`, `--arch=${ctx.arch}`, `--devdir=${devDir}`];
  const run = await runTool(args, repoRoot, ctx);
  if (run.code === 0) return { ok: true, value: url };
  const status = /\b(\d{3})\s+(?:response|status code) downloading/.exec(run.output)?.[1];
  // node-gyp rewrites ENOTFOUND into a paragraph about proxies; other failures keep their error on a `stack` line.
  const error = /network connectivity/.test(run.output) ? 'host not found' : /^gyp ERR! stack (?:\w*Error: )?(.+)$/m.exec(run.output)?.[1]?.trim();
  const why = status
    ? `the mirror answered HTTP ${status} (it may not publish headers for Electron ${ctx.target})`
    : `the network here does not allow it (${error ?? 'no connection'})`;
  return fail(
    [
      `Could not download Electron ${ctx.target}'s headers from ${url}: ${why}.`,
      `Nothing was replaced: an existing ${BINARY_FILE} in the output folder is untouched.`,
      STILL_WORKS,
      'Retry with `npm run rebuild:electron-native` where the network allows, or point it at a reachable mirror:',
      '`npm run rebuild:electron-native -- --dist-url <mirror>` (or set ELECTRON_HEADERS_MIRROR).',
      ...lastLines(run, ctx.verbose),
    ].join('\n'),
  );
}

async function compile(ctx: Context, nodeGyp: string, devDir: string, copy: string): Promise<Outcome<null>> {
  ctx.log('Compiling better-sqlite3 and SQLite (takes about a minute)…');
  const started = Date.now();
  // node-gyp picks the headers by --target and --dist-url alone; --runtime reaches binding.gyp as a variable, as
  // @electron/rebuild passes it. Passing --dist-url also makes node-gyp read config.gypi from Electron's headers
  // instead of from the Node running this script.
  const args = [
    ...[nodeGyp, 'rebuild', '--release', `--target=${ctx.target}`, '--runtime=electron', `--dist-url=${ctx.distUrl}`],
    ...[`--arch=${ctx.arch}`, `--devdir=${devDir}`, '--build-from-source', '--jobs=max'],
  ];
  const run = await runTool(ctx.verbose ? [...args, '--verbose'] : args, copy, ctx);
  if (run.code === 0) {
    ctx.log(`Compiled in ${Math.round((Date.now() - started) / 1000)} s.`);
    return { ok: true, value: null };
  }
  return fail(
    [
      `Compiling better-sqlite3 for Electron ${ctx.target} failed (node-gyp exited with ${run.code ?? 'a signal'}).`,
      'It needs Python 3 and a C++20 compiler: make and g++ or clang, Xcode, or Visual Studio Build Tools.',
      `Nothing was replaced: an existing ${BINARY_FILE} in the output folder is untouched.`,
      STILL_WORKS,
      'Retry with `npm run rebuild:electron-native -- --verbose` for the full log.',
      ...lastLines(run, ctx.verbose),
    ].join('\n'),
  );
}

/** Writes the binary and its BUILD-INFO beside their final names, then renames: a failure leaves the old pair in place. */
function installAtomically(built: string, outDir: string, partial: Omit<BuildInfo, 'sha256' | 'builtAt'>): BuildInfo {
  mkdirSync(outDir, { recursive: true });
  const tmpBinary = join(outDir, `.${BINARY_FILE}.${process.pid}.tmp`);
  const tmpInfo = join(outDir, `.${BUILD_INFO_FILE}.${process.pid}.tmp`);
  try {
    copyFileSync(built, tmpBinary);
    const sha256 = createHash('sha256').update(readFileSync(tmpBinary)).digest('hex');
    const info: BuildInfo = { ...partial, sha256, builtAt: new Date().toISOString() };
    writeFileSync(tmpInfo, `${JSON.stringify(info, null, 2)}\n`);
    renameSync(tmpBinary, join(outDir, BINARY_FILE));
    renameSync(tmpInfo, join(outDir, BUILD_INFO_FILE));
    return info;
  } finally {
    rmSync(tmpBinary, { force: true });
    rmSync(tmpInfo, { force: true });
  }
}

/** Electron's NODE_MODULE_VERSION: its config.gypi carries it; node_version.h's literal is the fallback. */
function headersModuleVersion(headersDir: string): number | null {
  const read = (file: string) => {
    try {
      return readFileSync(join(headersDir, 'include', 'node', file), 'utf8');
    } catch {
      return '';
    }
  };
  const found =
    /['"]node_module_version['"]\s*:\s*(\d+)/.exec(read('config.gypi')) ?? /^#define NODE_MODULE_VERSION (\d+)/m.exec(read('node_version.h'));
  return found ? Number(found[1]) : null;
}

interface ToolRun {
  code: number | null;
  output: string;
  tail: string[];
}

function runTool(args: string[], cwd: string, ctx: Context, timeoutMs?: number): Promise<ToolRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'], ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 1_000_000) output = output.slice(-200_000);
      if (ctx.verbose) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const finish = (code: number | null) => done({ code, output, tail: meaningfulLines(output).slice(-15) });
    child.on('error', (e) => {
      output += `\n${e.message}`;
      finish(null);
    });
    child.on('close', finish);
  });
}

/** The output without node-gyp's boilerplate (stack frames, versions, cwd), which would crowd out the compiler's error. */
function meaningfulLines(output: string): string[] {
  const boilerplate = /^(gyp (info|ERR! (stack\s+at |System |command |cwd |node -v|node-gyp -v|not ok|\$npm_))|\(node:\d+\) \[|\(Use `node --trace)/;
  return output.split('\n').map((l) => l.trimEnd()).filter((l) => l && !boilerplate.test(l));
}

function lastLines(run: ToolRun, verbose: boolean): string[] {
  if (verbose || run.tail.length === 0) return [];
  return ['Last lines of its output:', ...run.tail.map((l) => `  ${l}`)];
}

/**
 * This process's environment minus the npm settings that would redirect the build. node-gyp lets `npm_config_*`
 * override its command line, and npm exports the machine's `nodedir=/usr` that way: left in, node-gyp would compile
 * against Node's own headers and silently produce a binary for the wrong ABI.
 */
function childEnv(): NodeJS.ProcessEnv {
  const redirecting =
    /^npm_(?:config|package_config_node_gyp)_(nodedir|target|target_arch|arch|platform|runtime|dist_url|disturl|devdir|tarball|debug|build_from_source|download|force_process_config|directory)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !redirecting.test(key)));
}

/** node-gyp from npm (which names it to its scripts), this project, or the npm beside the running node. */
function findNodeGyp(): string | null {
  const prefix = dirname(process.execPath);
  const candidates = [
    process.env.npm_config_node_gyp,
    tryResolve(() => requireHere.resolve('node-gyp/bin/node-gyp.js')),
    join(prefix, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string)) ?? null;
}

function tryResolve(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function betterSqlite3Dir(): string {
  return dirname(requireHere.resolve('better-sqlite3/package.json'));
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

const usage = `Usage: tsx scripts/rebuild-electron-native.ts [options]
  --target <version>   Electron version (default: the installed electron package's)
  --dist-url <url>     headers mirror (default: $ELECTRON_HEADERS_MIRROR or ${DEFAULT_HEADERS_MIRROR})
  --out <dir>          output folder (default: build/electron-native)
  --arch <arch>        target architecture (default: ${process.arch})
  --from-source        skip the published prebuilt binary and compile
  --verbose            stream node-gyp's output`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        target: { type: 'string' },
        'dist-url': { type: 'string' },
        out: { type: 'string' },
        arch: { type: 'string' },
        'from-source': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 1;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const result = await rebuildElectronNative({
    target: values.target,
    distUrl: values['dist-url'],
    outDir: values.out,
    arch: values.arch,
    fromSource: values['from-source'],
    verbose: values.verbose,
  });
  if (!result.ok) {
    console.error(result.error);
    return 1;
  }
  const { info } = result.value;
  console.log(`Done: Electron ${info.electronVersion}, NODE_MODULE_VERSION ${info.nodeModuleVersion ?? 'unknown'}, sha256 ${info.sha256}.`);
  return 0;
}

// Run only as a command: scripts/start.ts imports this module for rebuildElectronNative().
if (tryResolve(() => realpathSync(process.argv[1] ?? '')) === realpathSync(fileURLToPath(import.meta.url))) process.exitCode = await main();
