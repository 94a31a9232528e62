import { close, constants, ftruncate, open, write } from 'node:fs';

/**
 * Where the copy of a file goes: the temporary store file, written at explicit positions so several writes can be in
 * flight at once.
 *
 * For a large file on Linux the writes use O_DIRECT. Buffered writes of gigabytes pile up as dirty pages that the
 * final fsync then flushes all at once (and the kernel throttles the writer meanwhile): measured on a 2 GiB file, 5-11 s
 * buffered against 1.6-3.7 s direct on the same disk. Direct I/O needs block-aligned buffers, lengths and offsets: the
 * buffers come from WebAssembly memory (page-aligned by construction; Node offers no aligned Buffer), every write but the
 * last is a whole 4 MiB chunk, and the last is padded to a block and the file truncated back to its size. Where O_DIRECT
 * is refused (tmpfs, other systems) the same writes go through the page cache.
 */
export interface Sink {
  write(buf: Buffer, len: number, pos: number): Promise<void>;
  /** Sets the exact size (after padded direct writes) and releases the direct descriptor. The caller fsyncs `fd`. */
  finish(size: number): Promise<void>;
  /** Releases the direct descriptor without finishing (failure paths). */
  release(): Promise<void>;
}

/** Block size for padding direct writes: covers 512-byte and 4 KiB logical blocks. */
const BLOCK = 4096;
/** Below this, the page cache is the faster path. */
export const DIRECT_MIN = 64 * 1024 * 1024;
const WASM_PAGE = 65536;

const cb2p = <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

async function writeFully(fd: number, buf: Buffer, len: number, pos: number): Promise<void> {
  let off = 0;
  while (off < len) off += await cb2p<number>((cb) => write(fd, buf, off, len - off, pos + off, cb));
}

/** `count` buffers of `size` bytes; page-aligned when they are meant for direct I/O. */
export function allocChunks(count: number, size: number, aligned: boolean): Buffer[] {
  if (!aligned) return Array.from({ length: count }, () => Buffer.allocUnsafeSlow(size));
  const memory = new WebAssembly.Memory({ initial: Math.ceil((count * size) / WASM_PAGE) });
  return Array.from({ length: count }, (_, i) => Buffer.from(memory.buffer, i * size, size));
}

export const directAvailable = (): boolean => process.platform === 'linux' && typeof constants.O_DIRECT === 'number';

export function bufferedSink(fd: number): Sink {
  return {
    write: (buf, len, pos) => writeFully(fd, buf, len, pos),
    finish: async () => {},
    release: async () => {},
  };
}

/** A sink writing `path` (already open as `fd`) with O_DIRECT, falling back to `fd` the first time direct I/O is refused. */
export async function directSink(fd: number, path: string): Promise<Sink> {
  let directFd: number | null;
  try {
    directFd = await cb2p<number>((cb) => open(path, constants.O_WRONLY | (constants.O_DIRECT as number), cb));
  } catch {
    return bufferedSink(fd);
  }
  let padded = false;
  let refused = false;
  const releaseDirect = async () => {
    if (directFd === null) return;
    const d = directFd;
    directFd = null;
    await cb2p<void>((cb) => close(d, (e) => cb(e, undefined)));
  };
  return {
    async write(buf, len, pos) {
      if (directFd !== null && !refused) {
        const whole = Math.ceil(len / BLOCK) * BLOCK;
        if (whole <= buf.length && pos % BLOCK === 0) {
          try {
            await writeFully(directFd, buf, whole, pos);
            padded ||= whole !== len;
            return;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
            // Refused (alignment, file system): the page cache takes this write and the rest.
            refused = true;
          }
        }
      }
      await writeFully(fd, buf, len, pos);
    },
    async finish(size) {
      await releaseDirect();
      if (padded) await cb2p<void>((cb) => ftruncate(fd, size, (e) => cb(e, undefined)));
    },
    release: releaseDirect,
  };
}
