import { basename } from 'node:path';

/**
 * Names in any encoding are kept. A Linux file name is bytes; when they are valid UTF-8 the text is exact, otherwise the
 * text shows U+FFFD for the bad bytes and the exact bytes are kept beside it.
 */
export interface KeptName {
  text: string;
  /** The exact bytes, only when `text` does not reproduce them. */
  bytes?: Buffer;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function keepName(value: string | Buffer): KeptName {
  if (typeof value === 'string') return { text: value };
  try {
    return { text: decoder.decode(value) };
  } catch {
    return { text: value.toString('utf8'), bytes: Buffer.from(value) };
  }
}

/** The bytes a kept name stands for. */
export const nameBuffer = (n: KeptName): Buffer => n.bytes ?? Buffer.from(n.text, 'utf8');

/** basename() for a path given as bytes (a non-UTF-8 path must stay a Buffer to be opened at all). */
export function baseNameOf(path: string | Buffer): KeptName {
  if (typeof path === 'string') return { text: basename(path) };
  let end = path.length;
  while (end > 1 && path[end - 1] === 0x2f) end -= 1;
  const start = path.lastIndexOf(0x2f, end - 1) + 1;
  return keepName(path.subarray(start, end));
}

/** Text of a path for messages; never throws. */
export const pathText = (path: string | Buffer): string => (typeof path === 'string' ? path : path.toString('utf8'));
