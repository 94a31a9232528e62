import type { StoredEntry } from './stored-line';
import { storedLineHash } from './stored-line';

/** A stretch of one chain, entries afterSeq+1 to lastSeq, checked by one thread. */
export interface StretchTask {
  file: string;
  scope: string;
  afterSeq: number;
  lastSeq: number;
}

/**
 * What a stretch check found: every entry present, linked to the one before it and matching its own hash on the fast
 * path (then the first link and last hash join it to its neighbours), or `sound: false` for anything else, which the
 * caller settles with the full entry-by-entry check.
 */
export type StretchResult = { sound: true; firstPrevHash: string; lastHash: string } | { sound: false };

export function checkStretch(entries: Iterable<StoredEntry>, afterSeq: number, lastSeq: number): StretchResult {
  let expected = afterSeq + 1;
  let firstPrevHash: string | null = null;
  let prev = '';
  for (const e of entries) {
    if (e.seq !== expected || (firstPrevHash !== null && e.prevHash !== prev) || storedLineHash(e) !== e.hash) return { sound: false };
    firstPrevHash ??= e.prevHash;
    prev = e.hash;
    expected += 1;
  }
  if (expected !== lastSeq + 1 || firstPrevHash === null) return { sound: false };
  return { sound: true, firstPrevHash, lastHash: prev };
}
