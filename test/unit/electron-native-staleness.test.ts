import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BINARY_FILE, BUILD_INFO_FILE, electronNativeStaleness, rebuildElectronNative } from '../../scripts/rebuild-electron-native';
import { repoRoot } from '../helpers/core';
import { tempDir } from '../helpers/temp';

const sqliteVersion = (createRequire(join(repoRoot, 'package.json'))('better-sqlite3/package.json') as { version: string }).version;

describe("when npm start rebuilds the desktop app's better-sqlite3", () => {
  let out: ReturnType<typeof tempDir>;
  beforeEach(() => {
    out = tempDir('firebreak-native-');
  });
  afterEach(() => out.cleanup());

  const info = (o: Record<string, unknown> = {}) =>
    writeFileSync(
      join(out.path, BUILD_INFO_FILE),
      JSON.stringify({ electronVersion: '41.7.1', betterSqlite3Version: sqliteVersion, arch: process.arch, platform: process.platform, ...o }),
    );

  it('rebuilds a missing binary, or one with no record of what it was built for', () => {
    expect(electronNativeStaleness(out.path, '41.7.1')).toMatch(/better_sqlite3\.node is missing$/);
    writeFileSync(join(out.path, BINARY_FILE), 'binary');
    expect(electronNativeStaleness(out.path, '41.7.1')).toMatch(/BUILD-INFO\.json is missing or unreadable$/);
  });

  it('rebuilds after Electron, better-sqlite3 or the platform changed, and not otherwise', () => {
    writeFileSync(join(out.path, BINARY_FILE), 'binary');
    info();
    expect(electronNativeStaleness(out.path, '41.7.1')).toBeNull();
    expect(electronNativeStaleness(out.path, '42.0.0')).toBe('it was built for Electron 41.7.1, but Electron 42.0.0 is installed');
    info({ betterSqlite3Version: '11.0.0' });
    expect(electronNativeStaleness(out.path, '41.7.1')).toBe(`it was built from better-sqlite3 11.0.0, but ${sqliteVersion} is installed`);
    info({ arch: 'mips' });
    expect(electronNativeStaleness(out.path, '41.7.1')).toBe(`it was built for ${process.platform}-mips`);
  });

  it('refuses a plain-http headers mirror that is not on this machine', async () => {
    const r = await rebuildElectronNative({ target: '41.7.1', distUrl: 'http://mirror.example.com/headers', outDir: out.path, log: () => undefined });
    expect(r).toEqual({ ok: false, error: expect.stringContaining('is plain http: its headers and their checksums could be altered on the way') });
  });
});
