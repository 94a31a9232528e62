import { Readable } from 'node:stream';
import type { Initiator, LedgerEntry } from '../../../shared/domain';
import type { Db } from '../../store/database';
import { canonicalJson } from '../../ledger/canonical-json';

interface Row {
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

const PAGE = 2000;

/** One ledger line as the bundle holds it: the entry's canonical JSON, so `jq -cS 'del(.hash)'` gives what was hashed. */
export function ledgerLine(r: Row): string {
  const entry: LedgerEntry = {
    scope: r.scope,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    actorRole: r.actor_role,
    initiator: r.initiator,
    action: r.action,
    subject: r.subject,
    // Stored as canonical JSON already; parsing and re-encoding gives the same text.
    payload: JSON.parse(r.payload) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
  return `${canonicalJson(entry)}\n`;
}

/**
 * The chain up to `lastSeq` as JSON lines, read a page at a time by sequence number: memory stays flat for any length,
 * and no statement stays open between pages, so the app can keep using the connection while a bundle is written.
 */
export function ledgerStream(db: Db, scope: string, lastSeq: number, onLines?: (done: number) => void): Readable {
  const page = db.prepare('SELECT * FROM ledger_entries WHERE scope = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
  let after = 0;
  return new Readable({
    read() {
      if (after >= lastSeq) {
        this.push(null);
        return;
      }
      const rows = page.all(scope, after, lastSeq, PAGE) as Row[];
      if (rows.length === 0) {
        this.push(null);
        return;
      }
      after = (rows.at(-1) as Row).seq;
      onLines?.(after);
      this.push(Buffer.from(rows.map(ledgerLine).join(''), 'utf8'));
    },
  });
}
