// The fast ledger verification builds each entry's canonical line from the stored strings; it must be the very line
// canonicalJson makes, and give the same verdict as the entry-by-entry check in every case.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/ledger/canonical-json';
import { type Actor, type Ledger, verifyChain } from '../../electron/core/ledger/ledger';
import { STORED_LINE_SQL } from '../../electron/core/ledger/stored-line';
import { type Db, openDatabase } from '../../electron/core/store/database';
import { ledgerStore } from '../helpers/ledger-store';
import { tempDir } from '../helpers/temp';

const odd = ['plain', 'quote " and backslash \\', 'tab\tnewline\n', 'control \u0001\u001f', 'ünïcødé 日本', 'emoji 🔥', 'lone \ud800 surrogate', '</script>', ''];

describe('the stored canonical line', () => {
  it('is escaped by json_quote exactly as JSON.stringify escapes, for every character', () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    const q = db.prepare('SELECT json_quote(?) AS q');
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c += 1) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = `a${String.fromCharCode(c)}b`;
      if ((q.get(s) as { q: string }).q !== JSON.stringify(s)) differ.push(c.toString(16));
    }
    for (const s of ['🔥', '𝄞 clef', '\u{10ffff}']) if ((q.get(s) as { q: string }).q !== JSON.stringify(s)) differ.push(s);
    db.close();
    dir.cleanup();
    expect(differ).toEqual([]);
  });
});

describe('Ledger.verify over stored rows', () => {
  const alice: Actor = { name: 'Alice "A" Ölund', role: 'IR lead', initiator: 'human' };
  const scope = 'IR-2026-0001';
  let store: ReturnType<typeof ledgerStore>;
  let db: Db;
  let ledger: Ledger;
  beforeEach(() => {
    store = ledgerStore();
    ({ db, ledger } = store);
    db.transaction(() => {
      // SQLite stores text as UTF-8, so a lone surrogate survives only inside the (escaped) payload, not as a column.
      odd.forEach((s, n) => ledger.append(alice, { scope, action: 'step.note', subject: s.replace(/[\ud800-\udfff]/g, '?'), payload: { note: s, n, list: [s, n] } }));
    })();
    db.exec('DROP TRIGGER ledger_entries_no_update; DROP TRIGGER ledger_entries_no_delete;');
  });
  afterEach(() => store.close());
  const slow = () => verifyChain(scope, ledger.iterate(scope), ledger.head(scope));

  it('builds in SQLite the canonical line each hash was made of, byte for byte', () => {
    const lines = (db.prepare(`SELECT ${STORED_LINE_SQL} AS line FROM ledger_entries WHERE scope = ? ORDER BY seq`).all(scope) as Array<{ line: string }>).map((r) => r.line);
    const expected = ledger.entries(scope).map(({ hash: _h, ...body }) => canonicalJson(body));
    expect(lines).toEqual(expected);
    expect(lines).toHaveLength(odd.length);
  });

  it('says intact as the entry-by-entry check does', () => {
    expect(ledger.verify(scope)).toEqual({ scope, ok: true, entries: odd.length, headHash: ledger.head(scope)?.hash });
    expect(ledger.verify(scope)).toEqual(slow());
  });

  it('names the same changed entry', () => {
    db.prepare(`UPDATE ledger_entries SET subject = 'changed' WHERE scope = ? AND seq = 4`).run(scope);
    expect(ledger.verify(scope)).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: expect.stringMatching(/contents were changed/) } });
    expect(ledger.verify(scope)).toEqual(slow());
  });

  it('judges a payload rewritten with the same meaning (keys reordered) as the parsed check does', () => {
    const row = db.prepare('SELECT payload FROM ledger_entries WHERE scope = ? AND seq = 2').get(scope) as { payload: string };
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(row.payload) as object).reverse()));
    expect(reordered).not.toBe(row.payload);
    db.prepare('UPDATE ledger_entries SET payload = ? WHERE scope = ? AND seq = 2').run(reordered, scope);
    expect(ledger.verify(scope)).toEqual(slow());
  });

  it('names an unparseable payload', () => {
    db.prepare(`UPDATE ledger_entries SET payload = '{"note":' WHERE scope = ? AND seq = 6`).run(scope);
    expect(ledger.verify(scope)).toMatchObject({ ok: false, firstBroken: { seq: 6 } });
    expect(ledger.verify(scope)).toEqual(slow());
  });
});
