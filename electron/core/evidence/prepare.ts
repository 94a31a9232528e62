import { FirebreakError } from '../errors';
import type { PreparedContent } from './commit';
import { type Digest, type PumpOptions, cancelled, closeFd, fsyncFd, makeReadOnly, pumpFile } from './copy-hash';
import { type OpenedSource, changedDuringIntake, changedSinceOpen, openEvidenceFile, readFailure } from './input-file';
import { DIRECT_MIN, bufferedSink, directAvailable, directSink } from './sink';
import { type TempFile, createTemp, discardTemp } from './store';

/** A file's content in a temporary store file, hashed, with the file's modification time: ready to commit. */
export interface PreparedFile {
  prepared: PreparedContent;
  modifiedAt: string;
}

/**
 * How an opened file's bytes are copied into the temporary file and hashed: on this thread (localPump), or on a thread
 * of its own (warm-intake.ts). Either way through pumpFile, reading the file exactly once.
 */
export type Pump = (src: OpenedSource, temp: TempFile, o: PumpOptions) => Promise<Digest>;

/** Direct writes for a large file where the system has them (sink.ts), the page cache otherwise. */
export const directFor = (size: number): boolean => directAvailable() && size >= DIRECT_MIN;

export const localPump: Pump = async (src, temp, o) => {
  const direct = directFor(src.size);
  const sink = direct ? await directSink(temp.fd, temp.path) : bufferedSink(temp.fd);
  return pumpFile(src.fd, sink, { ...o, aligned: direct });
};

/** Copies content into a temporary store file, hashing it on the way; the temporary file is made read-only and fsynced. */
export async function prepareFd(dataDir: string, pump: (temp: TempFile) => Promise<Digest>, signal?: AbortSignal): Promise<PreparedContent> {
  if (signal?.aborted) throw cancelled();
  const temp = await createTemp(dataDir);
  let open = true;
  try {
    const digest = await pump(temp);
    await makeReadOnly(temp.fd);
    await fsyncFd(temp.fd);
    open = false;
    await closeFd(temp.fd);
    if (signal?.aborted) throw cancelled();
    return { tempPath: temp.path, digest };
  } catch (e) {
    if (open) await closeFd(temp.fd).catch(() => {});
    discardTemp(temp.path);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new FirebreakError('unavailable', `The evidence store in ${dataDir} is out of space; nothing was added.`);
    }
    throw e;
  }
}

/**
 * Opens a file and prepares its content (prepareFd): refused with a clear error when it is not a readable regular
 * file, and when it changed while it was read (nothing of it is kept then).
 */
export async function prepareFile(
  dataDir: string,
  path: string | Buffer,
  o: { legacy: boolean; signal?: AbortSignal; onProgress?: (done: number, total: number | null) => void },
  pump: Pump = localPump,
): Promise<PreparedFile> {
  const src = await openEvidenceFile(path);
  try {
    const prepared = await prepareFd(
      dataDir,
      async (temp) => {
        const digest = await pump(src, temp, {
          legacyHashes: o.legacy,
          total: src.size,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        }).catch((e: unknown) => {
          throw e instanceof FirebreakError || (e as NodeJS.ErrnoException).syscall !== 'read' ? e : readFailure(path, e);
        });
        // Thrown here, the temporary copy is discarded by prepareFd: nothing of a changing file is kept.
        const changed = await changedSinceOpen(path, src, digest.size);
        if (changed) throw changedDuringIntake(path, changed);
        return digest;
      },
      o.signal,
    );
    return { prepared, modifiedAt: src.modifiedAt };
  } finally {
    await closeFd(src.fd).catch(() => {});
  }
}
