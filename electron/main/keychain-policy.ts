import type { SafeStorage } from 'electron';
import type { Sealer } from '../core/index';

/** The part of Electron's safeStorage Firebreak uses (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

function sealerOver(ss: SafeStorageLike, label: string): Sealer {
  return {
    kind: 'electron-safestorage',
    label,
    seal: (plain) => ss.encryptString(plain.toString('base64')),
    unseal: (sealed) => Buffer.from(ss.decryptString(sealed), 'base64'),
  };
}

function backendOf(ss: SafeStorageLike, platform: NodeJS.Platform): string {
  return platform === 'linux' ? ss.getSelectedStorageBackend() : platform === 'darwin' ? 'Keychain' : 'DPAPI';
}

/**
 * Signers' private keys: sealed whenever safeStorage works at all. On Linux without a keychain service that is
 * Chromium's built-in key ("basic_text"), which hides the key from a casual reader only; the file's mode 0600 is then
 * the real protection, and the label says so.
 */
export function signingKeySealerFrom(ss: SafeStorageLike, platform: NodeJS.Platform): Sealer | undefined {
  if (!ss.isEncryptionAvailable()) return undefined;
  const b = backendOf(ss, platform);
  return sealerOver(ss, b === 'basic_text' || b === 'unknown' ? 'a key built into the app (no OS keychain running)' : `OS keychain (${b})`);
}

/**
 * Remembered database passwords: only with a real keychain. On Linux without a Secret Service or KWallet, safeStorage
 * falls back to a key built into Chromium ("basic_text"), which protects nothing; a password is then not remembered.
 */
export function passwordSealerFrom(ss: SafeStorageLike, platform: NodeJS.Platform): Sealer | { unavailable: string } {
  if (!ss.isEncryptionAvailable()) {
    return { unavailable: 'The OS keychain is not available, so database passwords are not remembered: type the password for each run.' };
  }
  const b = backendOf(ss, platform);
  if (b === 'basic_text' || b === 'unknown') {
    return {
      unavailable:
        'No OS keychain (Secret Service or KWallet) is running, so a remembered password would be sealed with a key built into the app; database passwords are not remembered: type the password for each run.',
    };
  }
  return sealerOver(ss, `OS keychain (${b})`);
}
