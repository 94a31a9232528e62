import { createHash } from 'node:crypto';
import type { Initiator, LedgerEntry, LedgerVerification, Operator } from '../../shared/domain';
import type { Db } from '../store/database';
import { canonicalJson } from './canonical-json';

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
export type LedgerView = Pick<Ledger, 'entries' | 'first' | 'iterate' | 'verify'>;

/** A ledger row as SQLite stores it. */
export interface LedgerRow {
  scope: string;
  seq: number;
  at: string;
  actor: string;
  actor_role: string;
  initiator: Initiator;
  action: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

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

/** The entry a stored row holds (the payload parsed back from its canonical JSON). */
export const ledgerEntryFromRow = (r: LedgerRow): LedgerEntry => {
  let payload: unknown;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    payload = { unparseable: r.payload };
  }
  return {
    scope: r.scope,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    actorRole: r.actor_role,
    initiator: r.initiator,
    action: r.action,
    subject: r.subject,
    payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
};

/**
 * The append-only, hash-chained audit ledger: one chain per incident plus the system chain. append() must run inside
 * the transaction of the state change it records, so there is no change without its entry and no entry without its change.
 */
export class Ledger {
  private readonly insert;
  private readonly head;
  private readonly setHead;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {
    this.insert = db.prepare(
      `INSERT INTO ledger_entries (scope, seq, at, actor, actor_role, initiator, action, subject, payload, prev_hash, hash)
       VALUES (@scope, @seq, @at, @actor, @actorRole, @initiator, @action, @subject, @payload, @prevHash, @hash)`,
    );
    this.head = db.prepare('SELECT seq, hash FROM ledger_heads WHERE scope = ?');
    this.setHead = db.prepare(
      'INSERT INTO ledger_heads (scope, seq, hash) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
  }

  append(actor: Actor, input: AppendInput): LedgerEntry {
    if (!this.db.inTransaction) throw new Error('ledger.append must run inside the transaction of the change it records');
    const head = this.head.get(input.scope) as { seq: number; hash: string } | undefined;
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
    this.insert.run({ ...entry, payload: canonicalJson(payload) });
    this.setHead.run(entry.scope, entry.seq, entry.hash);
    return entry;
  }

  entries(scope: string): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq').all(scope) as LedgerRow[]).map(ledgerEntryFromRow);
  }

  first(scope: string): LedgerEntry | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq LIMIT 1').get(scope) as LedgerRow | undefined;
    return r && ledgerEntryFromRow(r);
  }

  /** Streams a chain without holding it in memory (reports and bundles of 100,000+ entries). */
  *iterate(scope: string): Generator<LedgerEntry> {
    for (const r of this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq').iterate(scope)) {
      yield ledgerEntryFromRow(r as LedgerRow);
    }
  }

  verify(scope: string): LedgerVerification {
    const head = this.head.get(scope) as { seq: number; hash: string } | undefined;
    return verifyChain(scope, this.iterate(scope), head ?? null);
  }
}

/** Checks a chain entry by entry: numbering, links, and each entry's own hash; then that it ends at the recorded head. */
export function verifyChain(
  scope: string,
  entries: Iterable<LedgerEntry>,
  head: { seq: number; hash: string } | null,
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
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) {
      return broken(e.seq, e.action, 'its contents were changed after it was written (the hash does not match)');
    }
    prev = hash;
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
