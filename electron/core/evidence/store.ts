import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, open, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The content-addressed store: <dataDir>/evidence/objects/<sha256>, read-only, one file per distinct content.
 * New content is written to a temporary file in the same directory, fsynced, then renamed into place, so a stored file
 * is always complete; a temporary name is never mistaken for content.
 */
export const TEMP_PREFIX = '.partial-';
const TEMP_PATTERN = /^\.partial-(\d+)-[0-9a-f]+$/;
export const SHA256_NAME = /^[0-9a-f]{64}$/;

export const evidenceRoot = (dataDir: string): string => join(dataDir, 'evidence');
export const objectsDir = (dataDir: string): string => join(evidenceRoot(dataDir), 'objects');
export const objectPath = (dataDir: string, sha256: string): string => join(objectsDir(dataDir), sha256);

const ensured = new Set<string>();

export function ensureStore(dataDir: string): string {
  const dir = objectsDir(dataDir);
  if (!ensured.has(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    ensured.add(dir);
  }
  return dir;
}

export interface TempFile {
  path: string;
  fd: number;
}

/** Temporary files this process is writing: start-up cleanup in another core of the same process leaves them alone. */
const liveTemps = new Set<string>();

export const isOurLiveTemp = (path: string): boolean => liveTemps.has(path);

/** The temporary file became content (renamed into place). */
export const releaseTemp = (path: string): void => {
  liveTemps.delete(path);
};

export function discardTemp(path: string): void {
  rmSync(path, { force: true });
  liveTemps.delete(path);
}

/** A new temporary file in the store; its name carries our pid so start-up cleanup can tell live ones from orphans. */
export async function createTemp(dataDir: string): Promise<TempFile> {
  const openNew = (path: string) =>
    new Promise<number>((resolve, reject) => open(path, 'wx', 0o600, (e, fd) => (e ? reject(e) : resolve(fd))));
  const dir = ensureStore(dataDir);
  const path = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`);
  let fd: number;
  try {
    fd = await openNew(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    // The store folder was removed while we ran: make it again.
    ensured.delete(dir);
    ensureStore(dataDir);
    fd = await openNew(path);
  }
  liveTemps.add(path);
  return { path, fd };
}

/** The pid in a temporary file's name, or null when the name is not one of ours. */
export function tempOwner(name: string): number | null {
  const m = TEMP_PATTERN.exec(name);
  return m ? Number(m[1]) : null;
}

/** Makes renames into the directory durable. Directories cannot be fsynced on Windows; there rename is already durable. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
