import type { Statement } from 'better-sqlite3';
import type { Initiator, LedgerEntry } from '../../shared/domain';
import type { Db } from '../store/database';
import { STORED_LINE_SQL, type StoredEntry } from './stored-line';

/** Rows read per query when a whole chain is verified: short-lived enough for the young generation, few round trips. */
const STORED_PAGE = 1_000;

/** A ledger row as SQLite stores it. */
interface LedgerRow {
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

/** The entry a stored row holds (the payload parsed back from its canonical JSON). */
const fromRow = (r: LedgerRow): LedgerEntry => {
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

/** ledger_entries and ledger_heads. Only the Ledger uses it; triggers keep the entries append-only. */
export class LedgerRepository {
  private readonly insertEntry: Statement;
  private readonly headOf: Statement;
  private readonly setHead: Statement;

  constructor(private readonly db: Db) {
    this.insertEntry = db.prepare(
      `INSERT INTO ledger_entries (scope, seq, at, actor, actor_role, initiator, action, subject, payload, prev_hash, hash)
       VALUES (@scope, @seq, @at, @actor, @actorRole, @initiator, @action, @subject, @payload, @prevHash, @hash)`,
    );
    this.headOf = db.prepare('SELECT seq, hash FROM ledger_heads WHERE scope = ?');
    this.setHead = db.prepare(
      'INSERT INTO ledger_heads (scope, seq, hash) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  head(scope: string): { seq: number; hash: string } | undefined {
    return this.headOf.get(scope) as { seq: number; hash: string } | undefined;
  }

  /** Stores the entry with its payload as the exact canonical JSON that was hashed, and moves the head to it. */
  insert(entry: LedgerEntry, payloadJson: string): void {
    this.insertEntry.run({ ...entry, payload: payloadJson });
    this.setHead.run(entry.scope, entry.seq, entry.hash);
  }

  entries(scope: string): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq').all(scope) as LedgerRow[]).map(fromRow);
  }

  first(scope: string): LedgerEntry | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq LIMIT 1').get(scope) as LedgerRow | undefined;
    return r && fromRow(r);
  }

  *iterate(scope: string): Generator<LedgerEntry> {
    for (const r of this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq').iterate(scope)) {
      yield fromRow(r as LedgerRow);
    }
  }

  /**
   * The chain's entries as stored, in order, a page at a time, each with its canonical line built by SQLite in C (see
   * stored-line.ts): verifying a million entries then costs one string and one hash per entry in JavaScript.
   */
  *stored(scope: string, afterSeq = 0, lastSeq = Number.MAX_SAFE_INTEGER): Generator<StoredEntry> {
    const q = this.db
      .prepare(`SELECT seq, action, prev_hash, hash, ${STORED_LINE_SQL} FROM ledger_entries WHERE scope = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
      .raw(true);
    let after = afterSeq;
    for (;;) {
      const rows = q.all(scope, after, lastSeq, STORED_PAGE) as Array<[number, string, string, string, string]>;
      for (const [seq, action, prevHash, hash, line] of rows) yield { seq, action, prevHash, hash, line };
      if (rows.length < STORED_PAGE) return;
      after = rows[rows.length - 1]?.[0] ?? after;
    }
  }

  /** The highest entry number stored for a scope (0 for none), whatever the head says. */
  lastSeq(scope: string): number {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM ledger_entries WHERE scope = ?').get(scope) as { n: number }).n;
  }

  page(scope: string, afterSeq: number, lastSeq: number, limit: number): LedgerEntry[] {
    return (
      this.db.prepare('SELECT * FROM ledger_entries WHERE scope = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?').all(scope, afterSeq, lastSeq, limit) as LedgerRow[]
    ).map(fromRow);
  }

  /** The entries up to `lastSeq` whose subject, payload or actor holds `text` (a bundle looks for URLs this way). */
  containing(scope: string, lastSeq: number, text: string): LedgerEntry[] {
    return (
      this.db
        .prepare('SELECT * FROM ledger_entries WHERE scope = ? AND seq <= ? AND (instr(payload, ?) > 0 OR instr(subject, ?) > 0 OR instr(actor, ?) > 0) ORDER BY seq')
        .all(scope, lastSeq, text, text, text) as LedgerRow[]
    ).map(fromRow);
  }

  entriesAt(scope: string, seqs: readonly number[]): LedgerEntry[] {
    if (seqs.length === 0) return [];
    return (
      this.db
        .prepare('SELECT * FROM ledger_entries WHERE scope = ? AND seq IN (SELECT value FROM json_each(?)) ORDER BY seq')
        .all(scope, JSON.stringify(seqs)) as LedgerRow[]
    ).map(fromRow);
  }
}
