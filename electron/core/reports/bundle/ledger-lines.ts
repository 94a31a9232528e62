import { Readable } from 'node:stream';
import type { LedgerEntry } from '../../../shared/domain';
import { canonicalJson } from '../../ledger/canonical-json';
import type { LedgerView } from '../../ledger/ledger';

const PAGE = 2000;

/** One ledger line as the bundle holds it: the entry's canonical JSON, so `jq -cS 'del(.hash)'` gives what was hashed. */
export function ledgerLine(e: LedgerEntry): string {
  return `${canonicalJson(e)}\n`;
}

/**
 * The chain up to `lastSeq` as JSON lines, read a page at a time by sequence number: memory stays flat for any length,
 * and no statement stays open between pages, so the app can keep using the connection while a bundle is written.
 */
export function ledgerStream(ledger: LedgerView, scope: string, lastSeq: number, onLines?: (done: number) => void): Readable {
  let after = 0;
  return new Readable({
    read() {
      if (after >= lastSeq) {
        this.push(null);
        return;
      }
      const entries = ledger.page(scope, after, lastSeq, PAGE);
      if (entries.length === 0) {
        this.push(null);
        return;
      }
      after = (entries.at(-1) as LedgerEntry).seq;
      onLines?.(after);
      this.push(Buffer.from(entries.map(ledgerLine).join(''), 'utf8'));
    },
  });
}
