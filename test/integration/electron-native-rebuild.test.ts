// scripts/rebuild-electron-native.ts for real: node-gyp and prebuild-install against mirrors on 127.0.0.1, a real
// compile, a real load.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BINARY_FILE, BUILD_INFO_FILE, type BuildInfo, rebuildElectronNative } from '../../scripts/rebuild-electron-native';
import { repoRoot } from '../helpers/core';
import { closedPort, startHeadersMirror, startPrebuiltMirror } from '../helpers/native-mirrors';
import { tempDir } from '../helpers/temp';

const script = join(repoRoot, 'scripts', 'rebuild-electron-native.ts');
const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const nodeBinding = join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', BINARY_FILE);
// The headers of the node running the tests: a build against them is loadable here.
const nodePrefix = resolve(dirname(process.execPath), '..');
const nodeHeaders = join(nodePrefix, 'include', 'node');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [tsx, script, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('rebuild-electron-native', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('firebreak-electron-native-test-');
  });
  afterEach(() => dir.cleanup());

  it('fails clearly when the headers mirror is unreachable, and leaves the existing binary alone', async () => {
    const out = join(dir.path, 'out');
    const tmp = join(dir.path, 'tmp');
    mkdirSync(out);
    mkdirSync(tmp);
    writeFileSync(join(out, BINARY_FILE), 'sentinel: the binary from an earlier build');
    const url = `http://127.0.0.1:${await closedPort()}`;

    // TMPDIR: to see that the script's work folder goes away.
    const r = await runScript(['--from-source', '--dist-url', url, '--out', out], { TMPDIR: tmp });

    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Downloading Electron');
    expect(r.stderr).toMatch(new RegExp(`Could not download Electron [\\d.]+'s headers from ${url}/v[\\d.]+/node-v[\\d.]+-headers\\.tar\\.gz`));
    expect(r.stderr).toContain('the network here does not allow it (connect ECONNREFUSED');
    expect(r.stderr).toContain('Node tests and browser mode are unaffected');
    expect(r.stderr).toContain('npm run rebuild:electron-native -- --dist-url');
    expect(r.stderr).not.toMatch(/stack\s+at /);
    expect(readFileSync(join(out, BINARY_FILE), 'utf8')).toBe('sentinel: the binary from an earlier build');
    expect(readdirSync(out)).toEqual([BINARY_FILE]);
    // tsx keeps its cache there too; the script's work folder and node-gyp's extraction folder must be gone.
    expect(readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  });

  it('uses a published prebuilt binary when there is one, and needs no headers for it', async () => {
    const out = join(dir.path, 'out');
    const published = Buffer.from('a prebuilt better_sqlite3.node, as published');
    const prebuilt = await startPrebuiltMirror(published);
    try {
      const r = await runScript(['--dist-url', `http://127.0.0.1:${await closedPort()}`, '--out', out], {
        // prebuild-install's documented mirror setting; its download cache goes to the test's folder.
        npm_config_better_sqlite3_binary_host: prebuilt.url,
        npm_config_cache: join(dir.path, 'npm-cache'),
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Using the prebuilt binary.');
      expect(r.stdout).not.toContain('Downloading Electron');

      const sqliteVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
      const electronVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
      expect(prebuilt.requests).toHaveLength(1);
      const asked = new RegExp(`^/v${sqliteVersion}/better-sqlite3-v${sqliteVersion}-electron-v(\\d+)-${process.platform}(musl)?-${process.arch}\\.tar\\.gz$`).exec(prebuilt.requests[0]!);
      expect(asked, prebuilt.requests[0]).not.toBeNull();

      const binary = join(out, BINARY_FILE);
      expect(readFileSync(binary)).toEqual(published);
      const info = JSON.parse(readFileSync(join(out, BUILD_INFO_FILE), 'utf8')) as BuildInfo;
      expect(info).toMatchObject({ electronVersion, nodeModuleVersion: Number(asked![1]), source: 'prebuilt', headersUrl: null, betterSqlite3Version: sqliteVersion });
      expect(info.sha256).toBe(sha256(binary));
    } finally {
      await prebuilt.close();
    }
  });

  it(
    'compiles against the headers the mirror serves, and the binary opens a real database',
    async () => {
      expect(existsSync(join(nodeHeaders, 'node_version.h')), `this test builds against ${nodeHeaders}`).toBe(true);
      const mirror = await startHeadersMirror(process.versions.node, nodeHeaders);
      const out = join(dir.path, 'out');
      const nodeBindingBefore = statSync(nodeBinding).mtimeMs;
      const lines: string[] = [];
      // npm exports the machine's `nodedir=/usr` like this. Reaching node-gyp, /usr would silently stand in for the
      // mirror's headers; a folder without headers makes that mistake fail loudly here instead.
      const nodedir = process.env.npm_config_nodedir;
      process.env.npm_config_nodedir = join(dir.path, 'no-headers-here');
      try {
        // target = this Node's version, so that the result is loadable here; the flags are otherwise the Electron ones.
        const r = await rebuildElectronNative({ target: process.versions.node, distUrl: mirror.url, outDir: out, fromSource: true, log: (l) => lines.push(l) });
        if (!r.ok) throw new Error(r.error);

        const v = process.versions.node;
        expect(mirror.requests).toEqual([`/v${v}/node-v${v}-headers.tar.gz`, `/v${v}/SHASUMS256.txt`]);
        expect(lines.join('\n')).toContain(`Downloading Electron ${v}'s headers from ${mirror.url}/v${v}/node-v${v}-headers.tar.gz`);
        expect(lines.join('\n')).toContain('Compiling better-sqlite3');

        const binary = join(out, BINARY_FILE);
        expect(r.value.binary).toBe(binary);
        const info = JSON.parse(readFileSync(join(out, BUILD_INFO_FILE), 'utf8')) as BuildInfo;
        expect(info).toMatchObject({
          electronVersion: v,
          nodeModuleVersion: Number(process.versions.modules),
          arch: process.arch,
          platform: process.platform,
          source: 'compiled',
          headersUrl: `${mirror.url}/v${v}/node-v${v}-headers.tar.gz`,
        });
        expect(info.betterSqlite3Version).toBe((JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version);
        expect(info.sha256).toBe(sha256(binary));
        expect(Date.parse(info.builtAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
        expect(readdirSync(out).sort()).toEqual([BUILD_INFO_FILE, BINARY_FILE].sort());

        const db = new Database(join(dir.path, 'check.db'), { nativeBinding: binary });
        try {
          db.exec('CREATE TABLE incidents (id TEXT PRIMARY KEY, title TEXT)');
          db.prepare('INSERT INTO incidents VALUES (?, ?)').run('IR-2026-0001', 'Orders DB dropped by agent');
          expect(db.prepare('SELECT title FROM incidents WHERE id = ?').get('IR-2026-0001')).toEqual({ title: 'Orders DB dropped by agent' });
        } finally {
          db.close();
        }
        expect(statSync(nodeBinding).mtimeMs).toBe(nodeBindingBefore);
      } finally {
        if (nodedir === undefined) delete process.env.npm_config_nodedir;
        else process.env.npm_config_nodedir = nodedir;
        await mirror.close();
      }
    },
    300_000,
  );
});
