import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, GENESIS_HASH, Ledger, entryHash, verifyChain } from '../../electron/core/ledger/ledger';
import { type Db, openDatabase } from '../../electron/core/store/database';
import { tempDir } from '../helpers/temp';

const alice: Actor = { name: 'Alice', role: 'IR lead', initiator: 'human' };
const bot: Actor = { name: 'collector', role: 'IR lead', initiator: 'automated' };

describe('ledger', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let ledger: Ledger;
  let clock = 0;

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(dir.path);
    ledger = new Ledger(db, () => new Date(Date.UTC(2026, 10, 21, 9, 0, clock++)));
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  const append = (scope: string, action: string, actor = alice) =>
    db.transaction(() => ledger.append(actor, { scope, action, subject: scope, payload: { action, n: clock } }))();

  it('chains entries per scope from the genesis hash', () => {
    const a1 = append('IR-2026-0001', 'incident.opened');
    const b1 = append('IR-2026-0002', 'incident.opened');
    const a2 = append('IR-2026-0001', 'step.done', bot);
    expect(a1.seq).toBe(1);
    expect(a1.prevHash).toBe(GENESIS_HASH);
    expect(b1.seq).toBe(1);
    expect(a2.seq).toBe(2);
    expect(a2.prevHash).toBe(a1.hash);
    expect(a2.initiator).toBe('automated');
    expect(a1.at).toBe('2026-11-21T09:00:00.000Z');
    const { hash, ...rest } = a2;
    expect(entryHash(rest)).toBe(hash);
    expect(ledger.verify('IR-2026-0001')).toMatchObject({ ok: true, entries: 2, headHash: a2.hash });
  });

  it('refuses to append outside a transaction, so no change can skip its entry', () => {
    expect(() => ledger.append(alice, { scope: 's', action: 'x', subject: 'y' })).toThrow(/inside the transaction/);
  });

  it('refuses updates and deletes through SQLite triggers', () => {
    append('IR-2026-0001', 'incident.opened');
    expect(() => db.prepare("UPDATE ledger_entries SET actor = 'Mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_entries').run()).toThrow(/append-only/);
  });

  describe('verify names the first broken entry', () => {
    const scope = 'IR-2026-0001';
    beforeEach(() => {
      for (const a of ['incident.opened', 'step.done', 'step.done', 'phase.closed']) append(scope, a);
      db.exec('DROP TRIGGER ledger_entries_no_update; DROP TRIGGER ledger_entries_no_delete;');
    });

    it('a changed payload', () => {
      db.prepare(`UPDATE ledger_entries SET payload = '{"action":"step.done","n":999}' WHERE scope = ? AND seq = 3`).run(scope);
      expect(ledger.verify(scope).firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/contents were changed/) });
    });

    it('a changed actor with a recomputed hash breaks the next link', () => {
      const e = ledger.entries(scope)[1]!;
      const forged = { ...e, actor: 'Mallory' };
      const { hash: _h, ...rest } = forged;
      db.prepare('UPDATE ledger_entries SET actor = ?, hash = ? WHERE scope = ? AND seq = 2').run('Mallory', entryHash(rest), scope);
      expect(ledger.verify(scope).firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/link/) });
    });

    it('a removed entry in the middle', () => {
      db.prepare('DELETE FROM ledger_entries WHERE scope = ? AND seq = 2').run(scope);
      expect(ledger.verify(scope).firstBroken).toMatchObject({ seq: 2, reason: expect.stringMatching(/missing/) });
    });

    it('removed newest entries', () => {
      db.prepare('DELETE FROM ledger_entries WHERE scope = ? AND seq = 4').run(scope);
      expect(ledger.verify(scope)).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: expect.stringMatching(/newest entries removed/) } });
    });
  });

  it('verifyChain accepts an empty chain with no head', () => {
    expect(verifyChain('x', [], null)).toEqual({ scope: 'x', ok: true, entries: 0, headHash: null });
  });
});
