import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { FirebreakError } from '../../errors';
import { csvFields } from '../logs/postgres-log';

export interface KeyListHead {
  header: string[];
  keys: string[][];
  total: number;
}

/**
 * Reads a stored key list (the CSV a diff wrote: `difference,<key columns>`) in one pass: its first `limit` keys and
 * how many it holds, hashing it as it goes so a file that no longer matches its evidence hash is refused, not shown.
 */
export async function readKeyListHead(path: string, sha256: string, limit: number): Promise<KeyListHead> {
  const hash = createHash('sha256');
  const stream = createReadStream(path);
  stream.on('data', (chunk) => hash.update(chunk));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let header: string[] | null = null;
  const keys: string[][] = [];
  let total = 0;
  let pending: string[] = [];
  let quotes = 0;
  try {
    for await (const line of lines) {
      pending.push(line);
      for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) quotes += 1;
      // A quoted key value may hold a line break: the record ends where the quotes balance.
      if (quotes % 2 === 1) continue;
      const record = pending.join('\n');
      pending = [];
      quotes = 0;
      if (header === null) header = csvFields(record);
      else {
        total += 1;
        if (keys.length < limit) keys.push(csvFields(record));
      }
    }
  } catch (e) {
    throw new FirebreakError('not-found', `The key list ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  const actual = hash.digest('hex');
  if (actual !== sha256) {
    throw new FirebreakError('check-failed', `The key list ${sha256.slice(0, 12)}… no longer matches its evidence hash (now ${actual.slice(0, 12)}…); verify the incident's evidence.`);
  }
  return { header: header ?? [], keys, total };
}
