import Database from 'better-sqlite3';
import { join } from 'node:path';
import { canonicalJson } from '../../electron/core/ledger/canonical-json';
import { GENESIS_HASH, entryHash } from '../../electron/core/ledger/ledger';
import type { LedgerEntry } from '../../electron/shared/domain';

/**
 * What a forger with write access does: changes one entry and recomputes every hash after it, so the chain links and
 * each entry's hash holds again. Returns the rewritten chain; the head is its last entry.
 */
export function rechain(entries: readonly LedgerEntry[], seq: number, change: (e: LedgerEntry) => LedgerEntry): LedgerEntry[] {
  let prev = GENESIS_HASH;
  return entries.map((e) => {
    const changed = e.seq === seq ? change(e) : e;
    const { hash: _old, ...rest } = { ...changed, prevHash: prev };
    const hash = entryHash(rest);
    prev = hash;
    return { ...rest, hash };
  });
}

/** The local database's incident chain rewritten in place, consistently: entries and head. */
export function rechainDatabase(dataDir: string, scope: string, seq: number, change: (e: LedgerEntry) => LedgerEntry): void {
  const db = new Database(join(dataDir, 'firebreak.db'));
  try {
    db.exec('DROP TRIGGER IF EXISTS ledger_entries_no_update; DROP TRIGGER IF EXISTS ledger_entries_no_delete;');
    const rows = db.prepare('SELECT * FROM ledger_entries WHERE scope = ? ORDER BY seq').all(scope) as Array<Record<string, unknown>>;
    const entries = rows.map(
      (r): LedgerEntry => ({
        scope: r.scope as string,
        seq: r.seq as number,
        at: r.at as string,
        actor: r.actor as string,
        actorRole: r.actor_role as string,
        initiator: r.initiator as LedgerEntry['initiator'],
        action: r.action as string,
        subject: r.subject as string,
        payload: JSON.parse(r.payload as string) as unknown,
        prevHash: r.prev_hash as string,
        hash: r.hash as string,
      }),
    );
    const next = rechain(entries, seq, change);
    const update = db.prepare('UPDATE ledger_entries SET actor = ?, payload = ?, prev_hash = ?, hash = ? WHERE scope = ? AND seq = ?');
    db.transaction(() => {
      for (const e of next) update.run(e.actor, canonicalJson(e.payload), e.prevHash, e.hash, scope, e.seq);
      const last = next.at(-1) as LedgerEntry;
      db.prepare('UPDATE ledger_heads SET seq = ?, hash = ? WHERE scope = ?').run(last.seq, last.hash, scope);
    })();
  } finally {
    db.close();
  }
}

/**
 * A case bundle's ledger re-chained consistently (the forger's edit at `seq`, every later hash recomputed) with the head
 * in bundle.json updated to match. The caller's bundle forger then makes SHA256SUMS again (and signs it with its key).
 */
export function rechainBundleLedger(files: Map<string, Buffer>, seq: number, change: (e: LedgerEntry) => LedgerEntry): LedgerEntry[] {
  const path = 'ledger/ledger.jsonl';
  const entries = (files.get(path) as Buffer)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LedgerEntry);
  const next = rechain(entries, seq, change);
  files.set(path, Buffer.from(next.map((e) => `${canonicalJson(e)}\n`).join(''), 'utf8'));
  const index = JSON.parse((files.get('bundle.json') as Buffer).toString('utf8')) as { ledger: { headHash: string | null } };
  index.ledger.headHash = next.at(-1)?.hash ?? null;
  files.set('bundle.json', Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8'));
  return next;
}
