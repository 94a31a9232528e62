/**
 * Protects secret bytes at rest with something outside the data directory, e.g. the OS keychain (Electron's
 * safeStorage: Keychain, DPAPI, libsecret). `kind` is written next to what it sealed, so a file sealed one way is never
 * opened as if it were sealed another.
 */
export interface Sealer {
  readonly kind: string;
  /** How people should read the protection, e.g. "OS keychain (gnome_libsecret)"; `kind` when absent. */
  readonly label?: string;
  seal(plain: Buffer): Buffer;
  unseal(sealed: Buffer): Buffer;
}
