import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../../errors';

/**
 * A CSV of the keys that differ in one table, written as the diff streams (a buffer of at most FLUSH_AT bytes), then
 * renamed into place: a file that exists is complete. Values are written exactly as the database holds them, quoted
 * where CSV needs it; a NULL key column is an empty field.
 */

const FLUSH_AT = 1 << 20;

const csvField = (v: string | null): string => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export const csvLine = (fields: ReadonlyArray<string | null>): string => `${fields.map(csvField).join(',')}\n`;

/** A file name from a table name: what a file system takes everywhere, and unique within one diff. */
export function keysFileName(table: string, taken: Set<string>): string {
  const base = table.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'table';
  let name = `${base}.keys.csv`;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}.keys.csv`;
  taken.add(name);
  return name;
}

export class KeysFile {
  private fd: number | null = null;
  private buffer = '';
  private readonly tmp: string;
  readonly path: string;

  constructor(
    dir: string,
    name: string,
    private readonly header: readonly string[],
  ) {
    this.path = join(dir, name);
    this.tmp = `${this.path}.${process.pid}.part`;
  }

  /** Opens the file on the first difference, so a matching table leaves no file behind. */
  write(difference: 'missing' | 'extra' | 'changed', key: ReadonlyArray<string | null>): void {
    if (this.fd === null) {
      try {
        mkdirSync(join(this.path, '..'), { recursive: true });
        this.fd = openSync(this.tmp, 'w', 0o600);
      } catch (e) {
        throw new FirebreakError('bad-input', `Cannot write the key list ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
      this.buffer = csvLine(['difference', ...this.header]);
    }
    this.buffer += csvLine([difference, ...key]);
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  /** The finished file's path, or null when nothing differed. */
  finish(): string | null {
    if (this.fd === null) return null;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
    return this.path;
  }

  /** Removes a partial file after an error or a cancel. */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.fd !== null && this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
