import { safeStorage } from 'electron';
import type { Sealer } from '../core/sealer';

/** Electron's safeStorage seals with the OS keychain: Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux. */
function safeStorageSealer(label: string): Sealer {
  return {
    kind: 'electron-safestorage',
    label,
    seal: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

function backend(): string {
  return process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform === 'darwin' ? 'Keychain' : 'DPAPI';
}

/** Signers' private keys: sealed whenever safeStorage works at all (the key file is mode 0600 in any case). */
export function signingKeySealer(): Sealer | undefined {
  return safeStorage.isEncryptionAvailable() ? safeStorageSealer(`OS keychain (${backend()})`) : undefined;
}

/**
 * Remembered database passwords: only with a real keychain. On Linux without a Secret Service or KWallet, safeStorage
 * falls back to a key built into Chromium ("basic_text"), which protects nothing; a password is then not remembered.
 */
export function databasePasswordSealer(): Sealer | { unavailable: string } {
  if (!safeStorage.isEncryptionAvailable()) {
    return { unavailable: 'The OS keychain is not available, so database passwords are not remembered: type the password for each run.' };
  }
  const b = backend();
  if (b === 'basic_text' || b === 'unknown') {
    return {
      unavailable:
        'No OS keychain (Secret Service or KWallet) is running, so a remembered password would be sealed with a key built into the app; database passwords are not remembered: type the password for each run.',
    };
  }
  return safeStorageSealer(`OS keychain (${b})`);
}
