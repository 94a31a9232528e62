import { safeStorage } from 'electron';
import type { Sealer } from '../core/index';
import { passwordSealerFrom, signingKeySealerFrom } from './keychain-policy';

/** Signers' private keys: sealed whenever safeStorage works at all (the key file is mode 0600 in any case). */
export const signingKeySealer = (): Sealer | undefined => signingKeySealerFrom(safeStorage, process.platform);

/** Remembered database passwords: only with a real OS keychain (see keychain-policy.ts). */
export const databasePasswordSealer = (): Sealer | { unavailable: string } => passwordSealerFrom(safeStorage, process.platform);
