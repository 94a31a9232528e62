import { Readable } from 'node:stream';
import type { Db } from '../../store/database';
import { canonicalJson } from '../../ledger/canonical-json';
import { type LedgerRow, ledgerEntryFromRow } from '../../ledger/ledger';

const PAGE = 2000;

/** One ledger line as the bundle holds it: the entry's canonical JSON, so `jq -cS 'del(.hash)'` gives what was hashed. */
export function ledgerLine(r: LedgerRow): string {
  return `${canonicalJson(ledgerEntryFromRow(r))}\n`;
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
      const rows = page.all(scope, after, lastSeq, PAGE) as LedgerRow[];
      if (rows.length === 0) {
        this.push(null);
        return;
      }
      after = (rows.at(-1) as LedgerRow).seq;
      onLines?.(after);
      this.push(Buffer.from(rows.map(ledgerLine).join(''), 'utf8'));
    },
  });
}
