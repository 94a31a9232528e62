import { type BigIntStats, type Stats, close, constants, fstat, lstat, open, readlink, stat } from 'node:fs';
import { badInput } from '../errors';
import { pathText } from './names';

export interface OpenedSource {
  fd: number;
  size: number;
  /** UTC ISO modification time of the source. */
  modifiedAt: string;
  /** What the file was when it was opened, to tell at the end whether it changed while it was read. */
  identity: FileIdentity;
}

/** Device, inode, size and modification time (nanoseconds): what a writer or a replacement of the file changes. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

const call = <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

const lstatOf = (p: string | Buffer) => call<Stats>((cb) => lstat(p, cb));
const statOf = (p: string | Buffer) => call<Stats>((cb) => stat(p, cb));
const fstatOf = (fd: number) => call<BigIntStats>((cb) => fstat(fd, { bigint: true }, cb));
const bigStatOf = (p: string | Buffer) => call<BigIntStats>((cb) => stat(p, { bigint: true }, cb));
const identityOf = (st: BigIntStats): FileIdentity => ({ dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs });

/** What a path is, in words, when it is not a regular file; null when it is one. */
export function notAFile(st: Stats | BigIntStats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'is a directory; add the files inside it instead (e.g. DIR/*)';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a file: save what it carries to a file first';
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return 'is a device, not a file: image it to a file first (e.g. with dd or dc3dd)';
  }
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

function errnoReason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ELOOP':
      return 'is a loop of symbolic links';
    case 'ENOTDIR':
      return 'does not exist (a part of the path is not a directory)';
    case 'ENAMETOOLONG':
      return 'is too long a path';
    case 'EIO':
      return 'cannot be read: input/output error (a failing disk or a special file)';
    default:
      return `cannot be opened (${e.code ?? e.message})`;
  }
}

const refuse = (path: string | Buffer, why: string) => badInput(`Cannot add ${pathText(path)} as evidence: it ${why}.`);

/** The checks without opening: usable to refuse a whole list before any of it is copied. */
export async function checkEvidencePath(path: string | Buffer): Promise<Stats> {
  let link: Stats;
  try {
    link = await lstatOf(path);
  } catch (e) {
    throw refuse(path, errnoReason(e as NodeJS.ErrnoException));
  }
  let st = link;
  if (link.isSymbolicLink()) {
    try {
      st = await statOf(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') {
        const target = await call<string>((cb) => readlink(path, 'utf8', cb)).catch(() => '?');
        throw refuse(path, `is a dangling symbolic link (it points to ${target}, which does not exist)`);
      }
      throw refuse(path, errnoReason(err));
    }
  }
  const why = notAFile(st);
  if (why) throw refuse(path, why);
  return st;
}

/**
 * Opens a file to take in as evidence, with a clear error for anything that is not a readable regular file. The type is
 * checked before opening (opening a FIFO would block) and again on the open descriptor, so a swap in between is caught.
 */
export async function openEvidenceFile(path: string | Buffer): Promise<OpenedSource> {
  await checkEvidencePath(path);
  let fd: number;
  try {
    fd = await call<number>((cb) => open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0), cb));
  } catch (e) {
    throw refuse(path, errnoReason(e as NodeJS.ErrnoException));
  }
  try {
    const st = await fstatOf(fd);
    const why = notAFile(st);
    if (why) throw refuse(path, why);
    return { fd, size: Number(st.size), modifiedAt: st.mtime.toISOString(), identity: identityOf(st) };
  } catch (e) {
    await new Promise<void>((done) => close(fd, () => done()));
    throw e;
  }
}

const mib = (n: bigint | number) => `${(Number(n) / 1024 / 1024).toFixed(1)} MiB`;

/**
 * What changed in the file between its opening and the end of the copy, in words; null when nothing did. A copy of a
 * file that something else writes, truncates or replaces meanwhile is a mix of two versions: no item may be made of it.
 * `bytesRead` is what the copy got; the descriptor's size and modification time now, and the inode the path names now,
 * are compared with those at opening.
 */
export async function changedSinceOpen(path: string | Buffer, src: OpenedSource, bytesRead: number): Promise<string | null> {
  const was = src.identity;
  const now = identityOf(await fstatOf(src.fd));
  if (now.size !== was.size) return `its size changed from ${mib(was.size)} to ${mib(now.size)} while it was read`;
  if (BigInt(bytesRead) !== was.size) return `${mib(bytesRead)} could be read of the ${mib(was.size)} it had when it was opened`;
  if (now.mtimeNs !== was.mtimeNs) return 'it was written to while it was read (its modification time changed)';
  let named: FileIdentity;
  try {
    named = identityOf(await bigStatOf(path));
  } catch {
    return 'it was moved or deleted while it was read';
  }
  if (named.dev !== was.dev || named.ino !== was.ino) return 'it was replaced by another file while it was read (its inode changed)';
  return null;
}

/** A file that changed during intake, refused with what changed; the caller keeps nothing. */
export const changedDuringIntake = (path: string | Buffer, what: string) =>
  badInput(`Cannot add ${pathText(path)} as evidence: ${what}. Nothing was kept. Add it again once nothing writes to it, or add a copy taken when it is complete.`);

/** Read errors after opening, in words. */
export const readFailure = (path: string | Buffer, e: unknown) =>
  refuse(path, errnoReason(e as NodeJS.ErrnoException));
