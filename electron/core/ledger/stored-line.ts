import { hash } from 'node:crypto';

/** A ledger entry as verification reads it: what the chain check needs, and the canonical line its hash covers. */
export interface StoredEntry {
  seq: number;
  action: string;
  prevHash: string;
  hash: string;
  /** canonicalJson of the entry without its hash, as built from the stored columns by STORED_LINE_SQL. */
  line: string;
}

/**
 * The canonical JSON line of a stored entry, built by SQLite: the keys in the order canonicalJson sorts them
 * (action < actor < actorRole < at < initiator < payload < prevHash < scope < seq < subject), each text column escaped
 * by json_quote (which escapes exactly as JSON.stringify does; the unit test checks every character), the payload
 * spliced in as stored, all in one format() call (one allocation, where `||` would copy the line at every step). The ledger writes every payload as canonical JSON, so for an entry as written this is byte for
 * byte the line its hash was made of. Where it is not (an entry changed since), verification falls back to parsing the
 * entry and encoding it as entryHash does, so the verdict is always that of the entry-by-entry check.
 */
export const STORED_LINE_SQL = `format('{"action":%s,"actor":%s,"actorRole":%s,"at":%s,"initiator":%s,"payload":%s,"prevHash":%s,"scope":%s,"seq":%d,"subject":%s}',
  json_quote(action), json_quote(actor), json_quote(actor_role), json_quote(at), json_quote(initiator), payload,
  json_quote(prev_hash), json_quote(scope), seq, json_quote(subject))`;

/** SHA-256 (hex) of a stored line: one call into OpenSSL, no Hash object per entry. */
export const storedLineHash = (e: StoredEntry): string => hash('sha256', e.line, 'hex');
