import type { OpenDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { answerFileDialog, dialogOptionsFor } from '../../electron/main/dialog-options';
import { type SafeStorageLike, passwordSealerFrom, signingKeySealerFrom } from '../../electron/main/keychain-policy';
import { FILE_PURPOSES, isFilePurpose } from '../../electron/shared/contract/index';

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

  it('a page can name only a known purpose, and nothing is shown to an untrusted sender', async () => {
    expect(isFilePurpose('evidence')).toBe(true);
    for (const junk of ['', 'Evidence', 'save', '../evidence', 42, null, { purpose: 'evidence' }]) expect(isFilePurpose(junk)).toBe(false);

    const shown: OpenDialogOptions[] = [];
    const show = (answer: { canceled: boolean; filePaths: string[] }) => async (o: OpenDialogOptions) => {
      shown.push(o);
      return answer;
    };
    const picked = show({ canceled: false, filePaths: ['/cases/trace.log'] });
    expect(await answerFileDialog('evidence', false, picked)).toEqual({ ok: false, error: { code: 'bad-input', message: 'Refused: the request did not come from the Firebreak window.' } });
    expect(await answerFileDialog('save-anywhere', true, picked)).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('ask for one of: evidence, cloudtrail-files') } });
    expect(shown).toEqual([]);

    expect(await answerFileDialog('evidence', true, picked)).toEqual({ ok: true, value: ['/cases/trace.log'] });
    expect(shown).toEqual([dialogOptionsFor('evidence')]);
    expect(await answerFileDialog('bundle', true, show({ canceled: true, filePaths: ['/ignored.zip'] }))).toEqual({ ok: true, value: [] });
  });
});

describe('the OS keychain, as the desktop app uses it', () => {
  /** safeStorage's contract, held in memory: what the keychain would do, without one. */
  const fakeSafeStorage = (available: boolean, backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(s, 'utf8').reverse(),
    decryptString: (b: Buffer) => Buffer.from(b).reverse().toString('utf8'),
  });

  it('remembers database passwords only with a real keychain, never with the built-in basic_text key', () => {
    expect(passwordSealerFrom(fakeSafeStorage(true, 'basic_text'), 'linux')).toEqual({ unavailable: expect.stringContaining('No OS keychain (Secret Service or KWallet) is running') });
    expect(passwordSealerFrom(fakeSafeStorage(true, 'unknown'), 'linux')).toHaveProperty('unavailable');
    expect(passwordSealerFrom(fakeSafeStorage(false, 'gnome_libsecret'), 'linux')).toEqual({ unavailable: expect.stringContaining('not available') });
    const sealer = passwordSealerFrom(fakeSafeStorage(true, 'gnome_libsecret'), 'linux');
    if ('unavailable' in sealer) throw new Error(sealer.unavailable);
    expect(sealer.label).toBe('OS keychain (gnome_libsecret)');
    expect(sealer.unseal(sealer.seal(Buffer.from('pw \u00e9'))).toString()).toBe('pw \u00e9');
    expect(passwordSealerFrom(fakeSafeStorage(true, 'unknown'), 'darwin')).toMatchObject({ label: 'OS keychain (Keychain)' });
    expect(passwordSealerFrom(fakeSafeStorage(true, 'unknown'), 'win32')).toMatchObject({ label: 'OS keychain (DPAPI)' });
  });

  it("seals signers' keys whenever safeStorage works, and says when that is only the app's built-in key", () => {
    expect(signingKeySealerFrom(fakeSafeStorage(false, 'kwallet5'), 'linux')).toBeUndefined();
    expect(signingKeySealerFrom(fakeSafeStorage(true, 'basic_text'), 'linux')?.label).toBe('a key built into the app (no OS keychain running)');
    expect(signingKeySealerFrom(fakeSafeStorage(true, 'kwallet5'), 'linux')?.label).toBe('OS keychain (kwallet5)');
  });
});
