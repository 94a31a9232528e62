import { type Hash, createHash } from 'node:crypto';
import { close, fchmod, fsync, read, write } from 'node:fs';
import type { SecretFinding } from '../../shared/evidence';
import { FirebreakError } from '../errors';
import { SecretScanner } from './secret-scan';
import { type Sink, allocChunks } from './sink';

/** What one pass over the content yields. */
export interface Digest {
  sha256: string;
  sha1?: string;
  md5?: string;
  size: number;
  findings: SecretFinding[];
}

export interface PumpOptions {
  legacyHashes: boolean;
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  total: number | null;
}

/** 4 MiB reads: few syscalls, and each hash update is long enough for SHA-NI to run at full speed. */
export const CHUNK = 4 * 1024 * 1024;
/** Buffers in flight: one being read, one being hashed, two being written. 16 MiB in all, whatever the file size. */
const SLOTS = 4;
const SMALL_CHUNK = 64 * 1024;
const PROGRESS_STEP = 1024 * 1024;

/**
 * Buffers for small files, reused: 10,000 files of 4 KiB would otherwise allocate 1.3 GB of short-lived buffers,
 * which the garbage collector frees late and peak memory shows.
 */
const smallPool: Buffer[] = [];
const takeSmall = (): Buffer => smallPool.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK);
const giveBack = (b: Buffer): void => {
  if (smallPool.length < 16) smallPool.push(b);
};

const p =
  <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  () =>
    new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

const readAt = (fd: number, buf: Buffer, pos: number) => p<number>((cb) => read(fd, buf, 0, buf.length, pos, cb))();
const writeAt = (fd: number, buf: Buffer, off: number, len: number, pos: number) =>
  p<number>((cb) => write(fd, buf, off, len, pos, cb))();
export const fsyncFd = (fd: number) => p<void>((cb) => fsync(fd, (e) => cb(e, undefined)))();
export const closeFd = (fd: number) => p<void>((cb) => close(fd, (e) => cb(e, undefined)))();
/** Read-only before the rename: the stored copy is never opened for writing again. */
export const makeReadOnly = (fd: number) => p<void>((cb) => fchmod(fd, 0o444, (e) => cb(e, undefined)))();

async function writeFully(fd: number, buf: Buffer, len: number, pos: number): Promise<void> {
  let off = 0;
  while (off < len) off += await writeAt(fd, buf, off, len - off, pos + off);
}

export const cancelled = () =>
  new FirebreakError('cancelled', 'The intake was cancelled; nothing was added and no partial copy was kept.');

/** Hashes (SHA-256, and SHA-1/MD5 when asked) and scans text, chunk by chunk. */
export class ContentDigest {
  private readonly sha256: Hash = createHash('sha256');
  private readonly sha1: Hash | null;
  private readonly md5: Hash | null;
  private readonly scanner = new SecretScanner();
  size = 0;

  constructor(legacyHashes: boolean) {
    this.sha1 = legacyHashes ? createHash('sha1') : null;
    this.md5 = legacyHashes ? createHash('md5') : null;
  }

  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.sha1?.update(chunk);
    this.md5?.update(chunk);
    this.scanner.push(chunk);
    this.size += chunk.length;
  }

  finish(): Digest {
    const d: Digest = { sha256: this.sha256.digest('hex'), size: this.size, findings: this.scanner.finish() };
    if (this.sha1) d.sha1 = this.sha1.digest('hex');
    if (this.md5) d.md5 = this.md5.digest('hex');
    return d;
  }
}

class Progress {
  private last = -PROGRESS_STEP;
  constructor(private readonly o: PumpOptions) {}
  report(done: number, force = false): void {
    if (!this.o.onProgress || (!force && done - this.last < PROGRESS_STEP)) return;
    this.last = done;
    this.o.onProgress(done, this.o.total);
  }
}

/**
 * Copies a regular file into `dst` while hashing it, reading it exactly once. Reading chunk n+1 and writing chunk n run
 * on libuv's thread pool while chunk n is hashed here, so the copy costs little more than the hash. Reads go to end of
 * file rather than trusting the size from stat: what is hashed is exactly what is stored.
 */
export async function pumpFile(src: number, sink: Sink, o: PumpOptions & { aligned: boolean }): Promise<Digest> {
  const digest = new ContentDigest(o.legacyHashes);
  const progress = new Progress(o);
  // A small file needs neither 4 MiB buffers nor four of them (10,000 small files are a common batch).
  const small = o.total !== null && o.total < CHUNK;
  const size = small ? Math.max(SMALL_CHUNK, Math.ceil(((o.total ?? 0) + 1) / SMALL_CHUNK) * SMALL_CHUNK) : CHUNK;
  const slots = small ? 2 : SLOTS;
  const bufs = size === SMALL_CHUNK ? [takeSmall(), takeSmall()] : allocChunks(slots, size, o.aligned && !small);
  const writes: Array<Promise<void>> = Array.from({ length: slots }, () => Promise.resolve());
  let failure: unknown = null;
  let pos = 0;
  let slot = 0;
  let reading: Promise<number> = readAt(src, bufs[0] as Buffer, 0);
  try {
    for (;;) {
      const n = await reading;
      if (n === 0) break;
      const buf = bufs[slot] as Buffer;
      const next = (slot + 1) % slots;
      await writes[next];
      if (failure) throw failure;
      reading = readAt(src, bufs[next] as Buffer, pos + n);
      if (o.signal?.aborted) throw cancelled();
      digest.update(buf.subarray(0, n));
      writes[slot] = sink.write(buf, n, pos).catch((e: unknown) => {
        failure ??= e;
      });
      pos += n;
      slot = next;
      progress.report(pos);
    }
    await Promise.all(writes);
    if (failure) throw failure;
    await sink.finish(pos);
  } catch (e) {
    // Never return (and let the caller close the descriptors) while the thread pool still uses them.
    await Promise.allSettled([reading, ...writes]);
    await sink.release().catch(() => {});
    throw e;
  }
  if (size === SMALL_CHUNK) bufs.forEach(giveBack);
  progress.report(pos, true);
  return digest.finish();
}

/**
 * Copies a stream (an HTTP upload, a collector's output) into `dst` while hashing it. Small chunks are gathered into
 * 1 MiB writes; awaiting each write keeps memory bounded when the disk is slower than the source.
 */
export async function pumpStream(source: NodeJS.ReadableStream, dst: number, o: PumpOptions): Promise<Digest> {
  const digest = new ContentDigest(o.legacyHashes);
  const progress = new Progress(o);
  const STAGE = 1024 * 1024;
  const stages = [Buffer.allocUnsafeSlow(STAGE), Buffer.allocUnsafeSlow(STAGE)];
  const pending: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
  let failure: unknown = null;
  let current = 0;
  let fill = 0;
  let pos = 0;
  const flush = async () => {
    if (fill === 0) return;
    const buf = stages[current] as Buffer;
    pending[current] = writeFully(dst, buf, fill, pos - fill).catch((e: unknown) => {
      failure ??= e;
    });
    current = 1 - current;
    fill = 0;
    await pending[current];
    if (failure) throw failure;
  };
  const onAbort = () => (source as { destroy?: (e?: Error) => void }).destroy?.(cancelled());
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (o.signal?.aborted) throw cancelled();
    for await (const raw of source) {
      if (o.signal?.aborted) throw cancelled();
      const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
      digest.update(chunk);
      let off = 0;
      while (off < chunk.length) {
        const take = Math.min(STAGE - fill, chunk.length - off);
        chunk.copy(stages[current] as Buffer, fill, off, off + take);
        fill += take;
        off += take;
        pos += take;
        if (fill === STAGE) await flush();
      }
      progress.report(pos);
    }
    if (o.signal?.aborted) throw cancelled();
    await flush();
    await Promise.all(pending);
    if (failure) throw failure;
  } catch (e) {
    await Promise.allSettled(pending);
    throw o.signal?.aborted ? cancelled() : e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  progress.report(pos, true);
  return digest.finish();
}
