// `firebreak audit verify` of a chain long enough to be checked on several threads (the built CLI, whose worker script
// lies beside it): intact says intact, and a change in any stretch, or an entry beyond the head, is named as the
// entry-by-entry check names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN } from '../../../electron/core/ledger/parallel-verify';
import { openDatabase } from '../../../electron/core/store/database';
import { ensureCliBuilt } from '../../../scripts/build-cli';
import { ACTOR, contextFor } from '../../unit/evidence/fixtures';
import { type Workspace, bin, makeWorkspace } from '../evidence/helpers';

const TOTAL = PARALLEL_MIN + 20_000;
let w: Workspace;

beforeAll(async () => {
  await ensureCliBuilt();
  w = makeWorkspace();
  const db = openDatabase(w.dataDir);
  const ctx = contextFor(db, w.dataDir);
  for (;;) {
    const head = ctx.ledger.head(w.incidentId)?.seq ?? 0;
    if (head >= TOTAL) break;
    const n = Math.min(20_000, TOTAL - head);
    const entry = (i: number) => ({ scope: w.incidentId, action: 'monitoring.clear', subject: w.incidentId, payload: { note: `daily check ${i}`, é: 'ü "q" \\ \n' } });
    ctx.change(ACTOR, () => Array.from({ length: n }, (_, k) => entry(head + k + 1)), () => undefined);
  }
  db.exec('DROP TRIGGER ledger_entries_no_update; DROP TRIGGER ledger_entries_no_delete;');
  db.close();
}, 300_000);
afterAll(() => w.cleanup());

const verify = () => bin(['--data-dir', w.dataDir, 'audit', 'verify', w.incidentId]);
const edit = (sql: string, ...args: unknown[]) => {
  const db = openDatabase(w.dataDir);
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
};

describe('audit verify of a long chain, on several threads', () => {
  it('says intact', async () => {
    const r = await verify();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Ledger of ${w.incidentId} is intact: ${TOTAL} entries`);
  }, 120_000);

  it('names an entry changed late in the chain, then intact again once it is put back', async () => {
    const seq = TOTAL - 7;
    edit(`UPDATE ledger_entries SET subject = 'IR-2026-9999' WHERE scope = ? AND seq = ?`, w.incidentId, seq);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toContain(`broken at entry ${seq} (monitoring.clear): its contents were changed`);
    edit('UPDATE ledger_entries SET subject = scope WHERE scope = ? AND seq = ?', w.incidentId, seq);
    expect((await verify()).code).toBe(0);
  }, 120_000);

  it('names an entry added beyond the recorded head', async () => {
    edit(
      `INSERT INTO ledger_entries (scope, seq, at, actor, actor_role, initiator, action, subject, payload, prev_hash, hash)
       SELECT scope, seq + 1, at, actor, actor_role, initiator, action, subject, payload, hash, hash FROM ledger_entries WHERE scope = ? AND seq = ?`,
      w.incidentId,
      TOTAL,
    );
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toContain(`broken at entry ${TOTAL + 1}`);
  }, 120_000);
});
