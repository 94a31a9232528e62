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
  /** Every sign-off entry (signoff.signed, signoff.signed-with-override), in order. */
  signOffs: LedgerSignOff[];
  /** Every checkpoint entry (checkpoint.signed, checkpoint.unsigned), in order. */
  checkpoints: LedgerCheckpoint[];
  /** Each evidence item's acquisitions (evidence.acquired, then any evidence.reacquired), with the hash each recorded. */
  acquisitions: Map<string, LedgerAcquisition[]>;
  /** The entries written redacted (a password in a URL), in order: linked into the chain, their content attested by digest only. */
  redacted: Array<{ seq: number; action: string; reason: string }>;
}

export interface LedgerSignOff {
  seq: number;
  action: string;
  stepId: string;
  name: string;
  role: string;
  /** Base64, as in the signoff record. */
  signature: string;
  fingerprint: string;
  publicKey: string;
  statementSha256: string;
  reportSha256: string;
}

export interface LedgerCheckpoint {
  seq: number;
  id: string;
  signed: boolean;
  bodySha256: string;
  fingerprint: string;
}

export interface LedgerAcquisition {
  seq: number;
  action: string;
  sha256: string;
}

/** No line Firebreak writes comes near this; a longer one is refused rather than held in memory. */
export const MAX_LEDGER_LINE = 64 * 1024 * 1024;

const str = (x: unknown): string => (typeof x === 'string' ? x : '');

/**
 * Why a line's redaction mark does not hold, or null: it must give its reason and the fields it redacted, and each of
 * those fields must show the redaction (***). A mark on a line with nothing redacted would hide a changed entry.
 */
function redactionProblem(mark: unknown, e: LedgerEntry): string | null {
  const m = mark as { reason?: unknown; fields?: unknown };
  if (mark === null || typeof mark !== 'object' || typeof m.reason !== 'string' || !Array.isArray(m.fields) || m.fields.length === 0) {
    return 'is marked redacted without saying why and which fields (reason, fields)';
  }
  for (const f of m.fields) {
    const v = typeof f === 'string' ? fieldAt(e, f) : undefined;
    if (typeof v !== 'string' || !v.includes('***')) return `is marked redacted, but its field ${String(f)} shows no redaction`;
  }
  return null;
}

/** The value at a jq-style path (.payload.params.url, .payload.list[2], .payload["a-b"]) of an entry. */
function fieldAt(e: unknown, path: string): unknown {
  let v: unknown = e;
  for (const [, name, index, quoted] of path.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = name ?? (index !== undefined ? Number(index) : (JSON.parse(quoted as string) as string));
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/**
 * Checks the bundle's ledger line by line as it streams: numbering, links, each entry's own hash, and that every entry
 * belongs to the bundle's incident. Only what the other checks need is remembered: the entries a report or signature
 * names, the sign-off entries and each evidence item's acquisitions.
 */
export async function checkLedgerStream(
  source: AsyncIterable<Buffer>,
  scope: string,
  wanted: ReadonlySet<number>,
  onBytes: (n: number) => void,
  maxLine = MAX_LEDGER_LINE,
): Promise<LedgerFacts> {
  const fileHash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const facts: LedgerFacts = { fileSha256: '', entries: 0, headHash: null, broken: null, hashAt: new Map(), signOffs: [], checkpoints: [], acquisitions: new Map(), redacted: [] };
  let prev = GENESIS_HASH;
  let line = 0;
  let rest = '';

  const fail = (reason: string, e?: Partial<LedgerEntry>) => {
    facts.broken ??= `${'ledger/ledger.jsonl'} line ${line}${e?.seq !== undefined ? ` (entry ${e.seq}${e.action ? `, ${e.action}` : ''})` : ''}: ${reason}`;
  };

  const long = () => `is longer than ${maxLine} characters: no ledger line Firebreak writes is this long`;
  const take = (text: string) => {
    line += 1;
    if (facts.broken) return;
    if (text.length > maxLine) return fail(long());
    let e: LedgerEntry;
    try {
      e = JSON.parse(text) as LedgerEntry;
    } catch {
      return fail('is not JSON');
    }
    if (e.scope !== scope) return fail(`belongs to ${String(e.scope)}, not ${scope}`, e);
    if (e.seq !== facts.entries + 1) return fail(`entry ${facts.entries + 1} is missing (the next line is entry ${String(e.seq)})`, e);
    if (e.prevHash !== prev) return fail('its link to the previous entry does not match (an entry before it was changed or removed)', e);
    const { hash, redacted, ...body } = e as LedgerEntry & { redacted?: unknown };
    if (redacted !== undefined) {
      // Its hash covers the original line, which holds the secret: it cannot be recomputed, only linked (by the next
      // line's prevHash, or as the head bundle.json and the checkpoints name). What it shows must be a redaction.
      const why = redactionProblem(redacted, e);
      if (why) return fail(why, e);
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return fail('is marked redacted but carries no SHA-256 of the entry it replaces', e);
      facts.redacted.push({ seq: e.seq, action: String(e.action), reason: (redacted as { reason: string }).reason });
    } else {
      let computed: string;
      try {
        computed = entryHash(body);
      } catch {
        return fail('cannot be hashed (a field is missing or not JSON data)', e);
      }
      if (computed !== hash) return fail('its contents were changed after it was written (the hash does not match)', e);
    }
    facts.entries = e.seq;
    prev = hash;
    if (wanted.has(e.seq)) facts.hashAt.set(e.seq, hash);
    const p = (e.payload ?? {}) as Record<string, unknown>;
    if (e.action === 'signoff.signed' || e.action === 'signoff.signed-with-override') {
      facts.signOffs.push({
        seq: e.seq,
        action: e.action,
        stepId: e.subject,
        name: str(p.name),
        role: str(p.role),
        signature: str(p.signature),
        fingerprint: str(p.fingerprint),
        publicKey: str(p.publicKey),
        statementSha256: str(p.statementSha256),
        reportSha256: str(p.reportSha256),
      });
    } else if (e.action === 'checkpoint.signed' || e.action === 'checkpoint.unsigned') {
      facts.checkpoints.push({ seq: e.seq, id: e.subject, signed: e.action === 'checkpoint.signed', bodySha256: str(p.bodySha256), fingerprint: str(p.fingerprint) });
    } else if (e.action === 'evidence.acquired' || e.action === 'evidence.reacquired') {
      const item = str(p.item) || e.subject;
      const list = facts.acquisitions.get(item) ?? [];
      list.push({ seq: e.seq, action: e.action, sha256: str(p.sha256) });
      facts.acquisitions.set(item, list);
    }
  };

  for await (const chunk of source) {
    fileHash.update(chunk);
    onBytes(chunk.length);
    // Once broken, the rest is only hashed (for SHA256SUMS): nothing more is read into memory.
    if (facts.broken) continue;
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) take(l);
    if (rest.length > maxLine) {
      line += 1;
      fail(long());
      rest = '';
    }
  }
  if (!facts.broken) {
    rest += decoder.end();
    if (rest.trim()) take(rest);
  }
  facts.fileSha256 = fileHash.digest('hex');
  facts.headHash = facts.entries > 0 ? prev : null;
  return facts;
}
