import { Readable } from 'node:stream';
import type { LedgerEntry } from '../../../shared/domain';
import { redactUrlSecretsDeep } from '../../../shared/url-secrets';
import { canonicalJson } from '../../ledger/canonical-json';
import type { LedgerView } from '../../ledger/ledger';

const PAGE = 2000;

/** Why a bundle line is redacted: the only secret Firebreak once recorded in the ledger is a password inside a URL. */
export const URL_SECRET_REASON = 'secret in a URL';

/**
 * What a redacted line adds to the entry: the reason and the fields that held a secret (as jq paths). The line keeps
 * the entry's own hash: the chain still links through it, but its hash covers the original line, which the bundle no
 * longer holds, so its content is attested by that digest only.
 */
export interface LineRedaction {
  reason: string;
  fields: string[];
}

/** The entry with every URL password replaced by ***, and where; null when it holds none. */
export function redactedEntry(e: LedgerEntry): (LedgerEntry & { redacted: LineRedaction }) | null {
  const { hash, prevHash, ...rest } = e;
  const clean = redactUrlSecretsDeep(rest);
  if (clean === rest) return null;
  const fields: string[] = [];
  changedPaths(rest, clean, '', fields);
  return { ...clean, prevHash, hash, redacted: { reason: URL_SECRET_REASON, fields } };
}

/** The jq-style paths (.payload.params.url, .payload.list[2]) at which two JSON values hold different strings. */
function changedPaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (a === b) return;
  if (typeof a === 'string') {
    out.push(at);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    a.forEach((v, i) => changedPaths(v, b[i], `${at}[${i}]`, out));
    return;
  }
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') {
    const bo = b as Record<string, unknown>;
    for (const [k, v] of Object.entries(a)) changedPaths(v, bo[k], /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`, out);
  }
}

/**
 * One ledger line as the bundle holds it: the entry's canonical JSON, so `jq -cS 'del(.hash)'` gives what was hashed;
 * an entry an older version recorded with a password in a URL is written redacted (see redactedEntry).
 */
export function ledgerLine(e: LedgerEntry): string {
  const line = canonicalJson(e);
  // Only a line with a URL can hold a URL password: the others skip the deep walk.
  if (!line.includes('://')) return `${line}\n`;
  const redacted = redactedEntry(e);
  return `${redacted ? canonicalJson(redacted) : line}\n`;
}

/** The numbers of the entries up to `lastSeq` that the bundle writes redacted, in order (bundle.json lists them). */
export function redactedSeqs(ledger: LedgerView, scope: string, lastSeq: number): number[] {
  return ledger
    .containing(scope, lastSeq, '://')
    .filter((e) => redactedEntry(e) !== null)
    .map((e) => e.seq);
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
