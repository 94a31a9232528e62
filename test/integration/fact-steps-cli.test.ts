import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFirebreak } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

/** Steps completed by a record refuse a tick from the CLI (exit 1, naming what completes them); the store list is the CLI's too. */
describe('firebreak CLI: fact-backed steps and the declared data stores (real process)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());
  const fb = (...args: string[]) => runFirebreak(['--data-dir', dir.path, ...args]);

  it('step --done on a compare step exits 1 naming what completes it; --na with a reason is still recorded', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', 'production_database_url=sqlite:/srv/prod.db')).stdout.trim();
    const done = await fb('step', id, 'compare-production-to-baseline', '--done');
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('"compare-production-to-baseline" is complete only when its record exists, not by marking it done');
    expect(done.stderr).toContain('waiting for a compare of sqlite:/srv/prod.db against the baseline');
    expect(done.stderr).toContain('run a compare of sqlite:/srv/prod.db against the baseline in the Validation tab');

    const signoff = await fb('step', id, 'residual-risk-sign-off', '--done');
    expect(signoff.code).toBe(1);
    expect(signoff.stderr).toContain('waiting for the signatures of IR lead, CISO, Legal');

    const na = await fb('step', id, 'compare-production-to-baseline', '--na', 'production was not touched');
    expect(na.code).toBe(0);
    const shown = JSON.parse((await fb('incident', 'show', id, '--json')).stdout) as { steps: Record<string, { status: string; reason: string | null }> };
    expect(shown.steps['compare-production-to-baseline']).toMatchObject({ status: 'na', reason: 'production was not touched' });
  });

  it('incident stores adds, lists and removes stores by identity, never printing a password', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const added = await fb('incident', 'stores', id, '--add', 'postgres://app:hunter2@db.example:5432/orders', '--add', 'sqlite:/srv/ledger.db');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('postgres://app@db.example:5432/orders  (declared by Dana Reyes, IR lead,');
    expect(added.stdout).toContain('sqlite:/srv/ledger.db');
    expect(added.stdout).not.toContain('hunter2');

    const removed = await fb('incident', 'stores', id, '--remove', 'postgresql://db.example/orders', '--json');
    expect(removed.code).toBe(0);
    expect((JSON.parse(removed.stdout) as Array<{ label: string }>).map((s) => s.label)).toEqual(['sqlite:/srv/ledger.db']);

    const bad = await fb('incident', 'stores', id, '--remove', 'sqlite:/srv/other.db');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sqlite:/srv/other.db is not declared for');

    const status = await fb('signoff', id, '--status');
    expect(status.stdout).toContain('data store sqlite:/srv/ledger.db: no comparison (missing)');
  });
});
