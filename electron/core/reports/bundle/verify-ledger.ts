import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { LedgerEntry } from '../../../shared/domain';
import { GENESIS_HASH, entryHash } from '../../ledger/ledger';

export interface LedgerFacts {
  /** SHA-256 of the file's bytes, for SHA256SUMS. */
  fileSha256: string;
  entries: number;
  headHash: string | null;
  /** The first line that does not hold, and why; null when the chain is intact. */
  broken: string | null;
  /** Hashes of the entries asked about (the heads the reports name). */
  hashAt: Map<number, string>;
  /** Signatures recorded by sign-off entries, with their entry number. */
  signatures: Map<string, { seq: number; fingerprint: string }>;
}

/**
 * Checks the bundle's ledger line by line as it streams: numbering, links, each entry's own hash, and that every entry
 * belongs to the bundle's incident. Only the entries a report or signature names are remembered.
 */
export async function checkLedgerStream(source: AsyncIterable<Buffer>, scope: string, wanted: ReadonlySet<number>, onBytes: (n: number) => void): Promise<LedgerFacts> {
  const fileHash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const facts: LedgerFacts = { fileSha256: '', entries: 0, headHash: null, broken: null, hashAt: new Map(), signatures: new Map() };
  let prev = GENESIS_HASH;
  let line = 0;
  let rest = '';

  const fail = (reason: string, e?: Partial<LedgerEntry>) => {
    facts.broken ??= `${'ledger/ledger.jsonl'} line ${line}${e?.seq !== undefined ? ` (entry ${e.seq}${e.action ? `, ${e.action}` : ''})` : ''}: ${reason}`;
  };

  const take = (text: string) => {
    line += 1;
    if (facts.broken) return;
    let e: LedgerEntry;
    try {
      e = JSON.parse(text) as LedgerEntry;
    } catch {
      return fail('is not JSON');
    }
    if (e.scope !== scope) return fail(`belongs to ${String(e.scope)}, not ${scope}`, e);
    if (e.seq !== facts.entries + 1) return fail(`entry ${facts.entries + 1} is missing (the next line is entry ${String(e.seq)})`, e);
    if (e.prevHash !== prev) return fail('its link to the previous entry does not match (an entry before it was changed or removed)', e);
    const { hash, ...body } = e;
    let computed: string;
    try {
      computed = entryHash(body);
    } catch {
      return fail('cannot be hashed (a field is missing or not JSON data)', e);
    }
    if (computed !== hash) return fail('its contents were changed after it was written (the hash does not match)', e);
    facts.entries = e.seq;
    prev = hash;
    if (wanted.has(e.seq)) facts.hashAt.set(e.seq, hash);
    if (e.action.startsWith('signoff.signed')) {
      const p = (e.payload ?? {}) as { signature?: unknown; fingerprint?: unknown };
      if (typeof p.signature === 'string') facts.signatures.set(p.signature, { seq: e.seq, fingerprint: String(p.fingerprint ?? '') });
    }
  };

  for await (const chunk of source) {
    fileHash.update(chunk);
    onBytes(chunk.length);
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) take(l);
  }
  rest += decoder.end();
  if (rest.trim()) take(rest);
  facts.fileSha256 = fileHash.digest('hex');
  facts.headHash = facts.entries > 0 ? prev : null;
  return facts;
}
