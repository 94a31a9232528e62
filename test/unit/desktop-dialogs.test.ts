import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialogOptionsFor } from '../../electron/main/dialog-options';
import { FILE_PURPOSES, isFilePurpose } from '../../electron/shared/contract/index';
import { repoRoot } from '../helpers/core';

describe('native open dialogs (desktop app)', () => {
  it('every purpose opens, never creates, saves or overwrites, and says what it is for', () => {
    for (const purpose of FILE_PURPOSES) {
      const o = dialogOptionsFor(purpose);
      expect(o.title, purpose).toMatch(/\w{4,}/);
      expect(o.properties, purpose).toContain('dontAddToRecent');
      expect(o.properties, purpose).not.toContain('promptToCreate');
      expect(o.properties, purpose).not.toContain('createDirectory');
      expect(o.properties?.some((p) => p === 'openFile' || p === 'openDirectory'), purpose).toBe(true);
    }
  });

  it('CloudTrail gets files and folders in two dialogs, since Windows and Linux cannot show both in one', () => {
    expect(dialogOptionsFor('cloudtrail-files').properties).toEqual(expect.arrayContaining(['openFile', 'multiSelections']));
    expect(dialogOptionsFor('cloudtrail-files').properties).not.toContain('openDirectory');
    expect(dialogOptionsFor('cloudtrail-folder').properties).toEqual(expect.arrayContaining(['openDirectory', 'multiSelections']));
    expect(dialogOptionsFor('cloudtrail-folder').properties).not.toContain('openFile');
  });

  it('one file where one is meant: a backup, a SQLite database, a bundle', () => {
    for (const purpose of ['backup', 'sqlite', 'bundle'] as const) expect(dialogOptionsFor(purpose).properties, purpose).not.toContain('multiSelections');
    expect(dialogOptionsFor('bundle').filters).toEqual([{ name: 'Case bundles', extensions: ['zip'] }]);
  });

  it('a page can name only a known purpose, and main checks the sender before opening anything', () => {
    expect(isFilePurpose('evidence')).toBe(true);
    for (const junk of ['', 'Evidence', 'save', '../evidence', 42, null, { purpose: 'evidence' }]) expect(isFilePurpose(junk)).toBe(false);
    const source = readFileSync(join(repoRoot, 'electron', 'main', 'dialogs.ts'), 'utf8');
    const trusted = source.indexOf('isTrustedSender(event, window)');
    const known = source.indexOf('isFilePurpose(purpose)');
    const shown = source.indexOf('dialog.showOpenDialog(window, dialogOptionsFor(purpose))');
    expect(trusted).toBeGreaterThan(0);
    expect(known).toBeGreaterThan(trusted);
    expect(shown).toBeGreaterThan(known);
    expect(readFileSync(join(repoRoot, 'electron', 'main', 'main.ts'), 'utf8')).toContain('registerFileDialogs(() => mainWindow)');
  });
});
