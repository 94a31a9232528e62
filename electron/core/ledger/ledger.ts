import { createHash } from 'node:crypto';
import type { Initiator, LedgerEntry, LedgerVerification, Operator } from '../../shared/domain';
import type { Db } from '../store/database';
import { canonicalJson } from './canonical-json';
import { LedgerRepository } from './repository';
import { storedLineHash } from './stored-line';

export const GENESIS_HASH = '0'.repeat(64);
/** The chain for work that belongs to no incident (operator changes, playbook imports). */
export const SYSTEM_SCOPE = 'system';

export interface Actor extends Operator {
  initiator: Initiator;
}

export interface AppendInput {
  scope: string;
  action: string;
  subject: string;
  payload?: unknown;
}

/** What a change records: one entry, several (in order), or none (null, undefined) when it found nothing to change. */
export type ChangeEntries = AppendInput | readonly AppendInput[] | null | undefined;

/** The ledger as the domains see it: they read it; they write it only through `ctx.change`. */
export type LedgerView = Pick<Ledger, 'head' | 'entries' | 'first' | 'iterate' | 'page' | 'entriesAt' | 'containing' | 'verify'>;

/** What is hashed: every field but the hash, as canonical JSON (so `jq -cS 'del(.hash)'` reproduces it). */
export function entryHash(e: Omit<LedgerEntry, 'hash'>): string {
  const body = {
    scope: e.scope,
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    actorRole: e.actorRole,
    initiator: e.initiator,
    action: e.action,
    subject: e.subject,
    payload: e.payload,
    prevHash: e.prevHash,
  };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * The append-only, hash-chained audit ledger: one chain per incident plus the system chain. append() must run inside
 * the transaction of the state change it records, so there is no change without its entry and no entry without its change.
 */
export class Ledger {
  private readonly rows: LedgerRepository;

  constructor(
    db: Db,
    private readonly now: () => Date,
  ) {
    this.rows = new LedgerRepository(db);
  }

  append(actor: Actor, input: AppendInput): LedgerEntry {
    if (!this.rows.inTransaction()) throw new Error('ledger.append must run inside the transaction of the change it records');
    const head = this.rows.head(input.scope);
    // Round-trip through canonical JSON so the stored payload is exactly what was hashed.
    const payload = JSON.parse(canonicalJson(input.payload ?? {})) as unknown;
    const partial: Omit<LedgerEntry, 'hash'> = {
      scope: input.scope,
      seq: (head?.seq ?? 0) + 1,
      at: this.now().toISOString(),
      actor: actor.name,
      actorRole: actor.role,
      initiator: actor.initiator,
      action: input.action,
      subject: input.subject,
      payload,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const entry: LedgerEntry = { ...partial, hash: entryHash(partial) };
    this.rows.insert(entry, canonicalJson(payload));
    return entry;
  }

  /** The newest entry's number and hash, or null for an empty chain. */
  head(scope: string): { seq: number; hash: string } | null {
    return this.rows.head(scope) ?? null;
  }

  entries(scope: string): LedgerEntry[] {
    return this.rows.entries(scope);
  }

  first(scope: string): LedgerEntry | undefined {
    return this.rows.first(scope);
  }

  /** Streams a chain without holding it in memory (reports and bundles of 100,000+ entries). */
  iterate(scope: string): Generator<LedgerEntry> {
    return this.rows.iterate(scope);
  }

  /** Up to `limit` entries after `afterSeq` and up to `lastSeq`, in order: a chain read a page at a time. */
  page(scope: string, afterSeq: number, lastSeq: number, limit: number): LedgerEntry[] {
    return this.rows.page(scope, afterSeq, lastSeq, limit);
  }

  /** The entries with these numbers, in order (custody events cite their entries by number). */
  entriesAt(scope: string, seqs: readonly number[]): LedgerEntry[] {
    return this.rows.entriesAt(scope, seqs);
  }

  /** The entries up to `lastSeq` whose subject, payload or actor holds `text`, in order. */
  containing(scope: string, lastSeq: number, text: string): LedgerEntry[] {
    return this.rows.containing(scope, lastSeq, text);
  }

  /**
   * Verifies the stored chain. Each entry's hash is first recomputed over its canonical line as SQLite builds it from
   * the stored columns (the fast path: about a million entries a second); only an entry whose hash does not match that
   * way is read again, parsed and encoded as `entryHash` does, so the verdict is exactly that of `verifyChain`.
   */
  verify(scope: string): LedgerVerification {
    return checkChain(scope, this.rows.stored(scope), this.head(scope), (e) => {
      const fast = storedLineHash(e);
      if (fast === e.hash) return fast;
      const entry = this.rows.entriesAt(scope, [e.seq])[0];
      if (!entry) return fast;
      const { hash: _h, ...rest } = entry;
      return entryHash(rest);
    });
  }
}

/** Checks a chain entry by entry: numbering, links, and each entry's own hash; then that it ends at the recorded head. */
export function verifyChain(
  scope: string,
  entries: Iterable<LedgerEntry>,
  head: { seq: number; hash: string } | null,
): LedgerVerification {
  return checkChain(scope, entries, head, ({ hash: _h, ...rest }) => entryHash(rest));
}

/** What a chain check reads of an entry; `hashOf` recomputes its hash. */
interface ChainLink {
  seq: number;
  action: string;
  prevHash: string;
  hash: string;
}

function checkChain<T extends ChainLink>(
  scope: string,
  entries: Iterable<T>,
  head: { seq: number; hash: string } | null,
  hashOf: (e: T) => string,
): LedgerVerification {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  const broken = (seq: number, action: string | null, reason: string): LedgerVerification => ({
    scope,
    ok: false,
    entries: count,
    headHash: head?.hash ?? null,
    firstBroken: { seq, action, reason },
  });
  for (const e of entries) {
    if (e.seq !== expectedSeq) {
      return broken(expectedSeq, null, `entry ${expectedSeq} is missing (the next entry found is ${e.seq})`);
    }
    if (e.prevHash !== prev) {
      return broken(e.seq, e.action, 'its link to the previous entry does not match (an entry before it was changed or removed)');
    }
    if (hashOf(e) !== e.hash) {
      return broken(e.seq, e.action, 'its contents were changed after it was written (the hash does not match)');
    }
    prev = e.hash;
    expectedSeq += 1;
    count += 1;
  }
  if (head) {
    if (head.seq !== count) {
      return broken(count + 1, null, `the chain ends at entry ${count} but ${head.seq} entries were recorded (newest entries removed)`);
    }
    if (head.hash !== prev) return broken(count, null, 'the newest entry is not the one recorded as the head of the chain');
  } else if (count > 0) {
    return broken(count, null, 'the head of the chain was removed');
  }
  return { scope, ok: true, entries: count, headHash: count > 0 ? prev : null };
}
