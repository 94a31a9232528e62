import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';

interface BuilderConfig {
  asar: boolean;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  electronFuses: Record<string, boolean>;
  extraResources: Array<{ from: string; to: string }>;
}
const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const mainSource = readFileSync(join(repoRoot, 'electron', 'main', 'main.ts'), 'utf8');

describe('desktop packaging and window configuration', () => {
  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('sets the fuses: no RunAsNode, no NODE_OPTIONS, no inspect, cookies encrypted, asar only and verified', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it("ships the Electron build's own better-sqlite3 binding apart from Node's", () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'build/electron-native', to: 'native' }));
    expect(mainSource).toMatch(/nativeBinding: binding/);
  });

  it('prints reports with printToPDF in a hidden window without JavaScript, from the strict preview URL', () => {
    const pdf = readFileSync(join(repoRoot, 'electron', 'main', 'pdf.ts'), 'utf8');
    expect(pdf).toContain('printToPDF');
    expect(pdf).toMatch(/webPreferences: \{[^}]*javascript: false[^}]*\}/);
    expect(pdf).toMatch(/sandbox: true/);
    expect(pdf).toContain('PREVIEW_SHOW_PREFIX');
    expect(mainSource).toContain('pdf: () => electronPdf(previews)');
    expect(mainSource).toContain('keySealer: sealer');
  });

  it('writes the window webPreferences inline and hardened', () => {
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webviewTag: false', "disableBlinkFeatures: 'Auxclick'"]) {
      expect(mainSource).toContain(setting);
    }
    expect(mainSource).toContain('requestSingleInstanceLock');
    expect(mainSource).toMatch(/loadURL\(`\$\{APP_ORIGIN\}\/index.html`\)/);
  });
});
