import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sealer } from '../../electron/core/sealer';

/**
 * Stands in for Electron's safeStorage, the one thing tests cannot reach (the OS keychain): AES-256-GCM with a key held
 * in memory, so what is sealed is really unreadable without it, and a second sealer cannot open the first one's bytes.
 */
export function testSealer(kind = 'test-aes'): Sealer {
  const key = randomBytes(32);
  return {
    kind,
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unseal(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
  };
}
