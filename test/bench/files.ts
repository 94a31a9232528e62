import { randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

const MiB = 1024 * 1024;

/**
 * Writes size random bytes to path, 8 MiB at a time: incompressible input for the hashing benchmarks. The file is
 * fsynced before it is used: left as a gigabyte of dirty pages, its writeback ran during the timed runs and slowed every
 * command that writes (an `evidence add` of 1 GiB measured 1.21x-1.28x `openssl dgst` beside a dirty input, 1.14x
 * beside the same file once on disk; `openssl` only reads and did not change).
 */
export function writeRandomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.allocUnsafe(8 * MiB);
  try {
    for (let done = 0; done < size; done += chunk.length) writeSync(fd, randomFillSync(chunk), 0, Math.min(chunk.length, size - done));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
