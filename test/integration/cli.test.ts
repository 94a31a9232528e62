import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/core/store/database';
import { firebreakBin, runFirebreak } from '../helpers/cli';
import { repoRoot } from '../helpers/core';
import { runLogged } from '../helpers/module-log/run';
import { tempDir } from '../helpers/temp';

describe('firebreak CLI (real process)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());
  const fb = (...args: string[]) => runFirebreak(['--data-dir', dir.path, ...args]);

  it('--version and --help load no core code; a command that needs core loads it', async () => {
    // From the sources, where every module keeps its own file (the prebuilt bundle puts core in chunks of its own).
    const run = (args: string[]) => runLogged(['--data-dir', join(dir.path, 'data'), ...args], { FIREBREAK_FROM_SOURCES: '1' });
    const core = (modules: string[]) => modules.filter((m) => m.includes('/electron/core/'));
    for (const args of [['--version'], ['--help'], ['incident', '--help']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.modules.some((m) => m.endsWith('/electron/cli/main.ts'))).toBe(true);
      expect(core(r.modules), args.join(' ')).toEqual([]);
    }
    const list = await run(['incident', 'list']);
    expect(list.code).toBe(0);
    expect(core(list.modules)).toContain(`file://${repoRoot}/electron/core/index.ts`);
  });

  it('a reader that closes the pipe early ends the output quietly: no EPIPE trace, the exit code of the command', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const r = await new Promise<{ code: number; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, [firebreakBin, '--data-dir', dir.path, 'signoff', id, '--status'], {
        cwd: repoRoot,
        env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // As `| head -0` would: the reader is gone before the first line is written.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code: code ?? -1, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--help lists the commands', async () => {
    const r = await runFirebreak(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['serve', 'incident', 'audit']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('opens, lists and shows incidents; the ledger carries the actor', async () => {
    const created = await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Orders DB dropped by agent', '--param', 'agent_role_name=ops-agent');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^IR-\d{4}-0001$/);

    const list = await fb('incident', 'list');
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('Orders DB dropped by agent');

    const show = await fb('incident', 'show', id, '--json');
    const incident = JSON.parse(show.stdout);
    expect(incident).toMatchObject({
      id,
      title: 'Orders DB dropped by agent',
      status: 'open',
      params: { agent_role_name: 'ops-agent' },
      createdBy: { name: 'Dana Reyes', role: 'IR lead' },
      playbook: { id: 'agent-destructive-action', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const other = await runFirebreak(['--data-dir', dir.path, '--actor', 'Lee Chen', 'incident', 'new', '--playbook', 'agent-destructive-action']);
    const log = await fb('audit', 'log', other.stdout.trim(), '--json');
    expect(JSON.parse(log.stdout.trim().split('\n')[0]!)).toMatchObject({ actor: 'Lee Chen', initiator: 'human', action: 'incident.opened' });

    const verify = await fb('audit', 'verify', id);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/intact: 1 entries/);
  });

  it('audit verify exits 1 and names the entry changed directly in the SQLite file', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const db = new Database(join(dir.path, DATABASE_FILE));
    db.exec('DROP TRIGGER ledger_entries_no_update');
    db.prepare("UPDATE ledger_entries SET actor = 'Mallory' WHERE scope = ? AND seq = 1").run(id);
    db.close();
    const r = await fb('audit', 'verify', id);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`ledger of ${id} is broken at entry 1 \\(incident.opened\\): its contents were changed`));
  });

  it("audit verify exits 1 when an incident's whole chain and its head were removed", async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const db = new Database(join(dir.path, DATABASE_FILE));
    db.exec('DROP TRIGGER ledger_entries_no_delete');
    db.prepare('DELETE FROM ledger_entries WHERE scope = ?').run(id);
    db.prepare('DELETE FROM ledger_heads WHERE scope = ?').run(id);
    db.close();
    const r = await fb('audit', 'verify', id);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/its ledger is empty/);
  });

  it('bad usage and unreadable input exit 2 with a message, never a stack trace', async () => {
    const cases = [
      await fb('incident', 'new'),
      await fb('incident', 'new', '--playbook', 'nope'),
      await fb('incident', 'show', 'not-an-id'),
      await fb('incident', 'show', 'IR-2026-9999'),
      await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', 'novalue'),
      await fb('no-such-command'),
    ];
    for (const r of cases) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\S/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(cases[1]!.stderr).toContain('There is no playbook "nope"');
    expect(cases[3]!.stderr).toContain('There is no incident IR-2026-9999');
  });

  it('a corrupt database file or an unusable data directory is reported and never overwritten', async () => {
    const dbPath = join(dir.path, DATABASE_FILE);
    writeFileSync(dbPath, 'PK\u0003\u0004 not a database');
    const r = await fb('incident', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a Firebreak database/);
    expect(readFileSync(dbPath, 'utf8')).toBe('PK\u0003\u0004 not a database');

    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'keep me');
    const r2 = await runFirebreak(['--data-dir', join(file, 'data'), 'incident', 'list']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/data directory .* is not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});
