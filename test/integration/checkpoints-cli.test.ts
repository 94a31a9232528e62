import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFirebreak } from '../helpers/cli';
import { startLocalTsa } from '../helpers/local-tsa';
import { rechainDatabase } from '../helpers/rechain';
import { tempDir } from '../helpers/temp';

/** The checkpoint commands as a user runs them: the real `firebreak` executable, a real data dir, the local openssl TSA. */
describe('firebreak audit checkpoint, settings and audit verify', () => {
  let dir: ReturnType<typeof tempDir>;
  let tsa: Awaited<ReturnType<typeof startLocalTsa>>;
  const fb = (...args: string[]) => runFirebreak(['--data-dir', join(dir.path, 'data'), ...args]);

  beforeAll(async () => {
    dir = tempDir('firebreak-cp-cli-');
    tsa = await startLocalTsa(dir.path);
  });
  afterAll(async () => {
    await tsa.close();
    dir.cleanup();
  });

  it('closes a phase with an unsigned checkpoint before keys init, signed and time-stamped after; a rewrite fails audit verify with exit 1', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();

    const unsigned = await fb('phase', 'close', id, 'containment', '--override', 'contained by hand');
    expect(unsigned.code).toBe(0);
    expect(unsigned.stdout).toMatch(/^Checkpoint CP-000001 pins IR-\d{4}-\d+ at entry \d+ and system at entry \d+ \(not signed\)$/m);
    expect(unsigned.stdout).toContain('The checkpoint is not signed: Dana Reyes (IR lead) has no key of their own here; run firebreak keys init');

    expect((await fb('keys', 'init', '--name', 'Dana Reyes', '--role', 'IR lead')).code).toBe(0);
    const bad = await fb('settings', 'set', 'tsa-url', 'not a url');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('tsa-url: "not a url" is not a URL.');
    const set = await fb('settings', 'set', 'tsa-url', tsa.url);
    expect(set.stdout).toContain(`tsa-url: ${tsa.url}\n`);
    writeFileSync(join(dir.path, 'not-a-cert.pem'), 'hello\n');
    expect((await fb('settings', 'set', 'tsa-ca', join(dir.path, 'not-a-cert.pem'))).stderr).toContain('tsa-ca: the value holds no PEM certificate');

    const made = await fb('audit', 'checkpoint', id);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^Checkpoint CP-000002 pins .* \(signed by Dana Reyes's key SHA256:\S+, time-stamped \S+Z\)$/m);

    const ok = await fb('audit', 'verify', id);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Checkpoint CP-000001: holds; UNSIGNED (made without a key: it pins nothing a rewrite could not redo), not time-stamped\n');
    expect(ok.stdout).toContain('Checkpoint CP-000002: holds; signed, time-stamped\n');

    rechainDatabase(join(dir.path, 'data'), id, 2, (e) => ({ ...e, actor: 'Mallory' }));
    const rewritten = await fb('audit', 'verify', id);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stderr).toMatch(/checkpoint CP-000001: the IR-\d{4}-\d+ ledger at entry \d+ is not the one it pinned/);
    // The rewritten chain itself holds: it is the checkpoint that fails.
    const db = new Database(join(dir.path, 'data', 'firebreak.db'), { readonly: true });
    const actor = (db.prepare('SELECT actor FROM ledger_entries WHERE scope = ? AND seq = 2').get(id) as { actor: string }).actor;
    db.close();
    expect(actor).toBe('Mallory');
  }, 120_000);
});
