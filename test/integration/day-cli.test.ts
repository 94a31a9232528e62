import { execSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';
import { runFirebreak } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { extract } from './reports/zip-tools';

const CHINOOK = join(repoRoot, '..', 'shared', 'reference', 'db', 'chinook', 'Chinook_Sqlite.sqlite');

interface Shown {
  awarenessAt: string;
  awarenessAssumed: boolean;
  materialityAt: string | null;
  clocks: Array<{ regime: string; status: string; notifiedAt: string | null; notificationNote: string | null }>;
  steps: Record<string, { status: string; proof: { met: boolean; record: string | null } | null }>;
  evidence: Record<string, Array<{ id: string }>>;
  monitoring: { checks: Array<{ result: string; note: string }> } | null;
}

/** Everything the UI records, the CLI records: the same Api calls, run as a user runs the real `firebreak`. */
describe('firebreak CLI: the IR lead day (real process, real SQLite databases)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());
  const fb = (...args: string[]) => runFirebreak(['--data-dir', join(dir.path, 'data'), ...args]);
  const show = async (id: string) => JSON.parse((await fb('incident', 'show', id, '--json')).stdout) as Shown;

  it('asks for awareness: --aware-at confirms it, otherwise it is assumed until set-awareness; materiality and a notification are recorded', async () => {
    const confirmed = (await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--aware-at', '2026-05-01T08:00:00Z')).stdout.trim();
    expect(await show(confirmed)).toMatchObject({ awarenessAt: '2026-05-01T08:00:00.000Z', awarenessAssumed: false });

    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    expect((await fb('incident', 'show', id)).stdout).toContain('(ASSUMED: the opening time; confirm it with firebreak incident set-awareness)');
    const bad = await fb('incident', 'set-awareness', id, 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the awareness time "yesterday" is not an ISO 8601 date-time with a time zone');
    const set = await fb('incident', 'set-awareness', id, '2026-05-01T09:15:00Z', '--note', 'first pager alert');
    expect(set).toMatchObject({ code: 0, stdout: `${id}: awareness recorded at 2026-05-01T09:15:00.000Z\n` });
    expect((await fb('incident', 'set-materiality', id, '2026-05-02T12:00:00Z')).code).toBe(0);

    await fb('decide', id, 'regulated-data-decision', 'personal-data');
    const notified = await fb('clock', 'notify', id, 'GDPR', '--at', '2026-05-02T09:00:00Z', '--ref', 'DPA case 2026-118');
    expect(notified).toMatchObject({ code: 0, stdout: `${id}: GDPR notification recorded at 2026-05-02T09:00:00.000Z\n` });
    const unknown = await fb('clock', 'notify', id, 'CCPA');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No notification clock "CCPA" runs for');

    const s = await show(id);
    expect(s).toMatchObject({ awarenessAt: '2026-05-01T09:15:00.000Z', awarenessAssumed: false, materialityAt: '2026-05-02T12:00:00.000Z' });
    expect(s.clocks.find((c) => c.regime === 'GDPR')).toMatchObject({ status: 'notified', notifiedAt: '2026-05-02T09:00:00.000Z', notificationNote: 'DPA case 2026-118' });
  });

  it('db check-backup, baseline and compare --incident record runs as the wizard does, complete their steps and fill their artifacts', async () => {
    const backup = join(dir.path, 'backup.sqlite');
    const prod = join(dir.path, 'prod.sqlite');
    copyFileSync(CHINOOK, backup);
    copyFileSync(CHINOOK, prod);
    const id = (
      await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', `restore_database_url=sqlite:${backup}`, '--param', `production_database_url=sqlite:${prod}`)
    ).stdout.trim();

    const checked = await fb('db', 'check-backup', backup, '--incident', id);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`VR-000001: check-backup of ${backup} recorded in ${id}: ok .*; result EV-000001`));
    const base = await fb('db', 'baseline', `sqlite:${backup}`, '--incident', id);
    expect(base.code).toBe(0);
    expect(base.stdout).toContain(`VR-000002: baseline of sqlite:${backup} recorded in ${id}: captured (11 tables, 15607 rows)`);

    // Production lost rows: the compare is recorded, says so and exits 1; the step stays open.
    const db = new Database(prod);
    db.prepare("DELETE FROM InvoiceLine WHERE InvoiceId > 400").run();
    db.close();
    const mismatch = await fb('db', 'compare', `sqlite:${prod}`, '--baseline', 'VR-000002', '--incident', id, '--json');
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.stdout)).toMatchObject({ match: false, run: 'VR-000003' });
    expect((await show(id)).steps['compare-production-to-baseline']).toMatchObject({ status: 'todo', proof: { met: false } });

    copyFileSync(CHINOOK, prod);
    const match = await fb('db', 'compare', `sqlite:${prod}`, '--baseline', 'VR-000002', '--incident', id);
    expect(match.code).toBe(0);
    const s = await show(id);
    expect(s.steps['baseline-restored-backup']).toMatchObject({ status: 'done', proof: { met: true, record: 'VR-000002' } });
    expect(s.steps['compare-production-to-baseline']).toMatchObject({ status: 'done', proof: { met: true, record: 'VR-000004' } });
    // Auto-links: the compares fill the recovered-state artifact, the backup check the backup validation records.
    expect(s.evidence['backup-validation-records']?.map((e) => e.id)).toEqual(['EV-000001']);
    expect(s.evidence['recovered-state-manifest']?.length).toBe(2);
  });

  it('a baseline file given to compare --incident is imported first, as the wizard imports it', async () => {
    const prod = join(dir.path, 'prod.sqlite');
    copyFileSync(CHINOOK, prod);
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', `production_database_url=sqlite:${prod}`)).stdout.trim();
    const manifest = join(dir.path, 'pre-incident.json');
    expect((await fb('db', 'baseline', `sqlite:${prod}`, '--out', manifest)).code).toBe(0);
    const r = await fb('db', 'compare', `sqlite:${prod}`, '--baseline', manifest, '--incident', id);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`VR-000001: baseline pre-incident.json imported into ${id}`);
    expect(r.stdout).toContain(`VR-000002: compare of sqlite:${prod} recorded in ${id}: match`);
    const none = await fb('db', 'baseline', `sqlite:${prod}`);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give --out <file> (or --incident <id> to record the baseline in an incident)');
  });

  it('evidence add --step on an evidence step asks which artifact, links the artifact named, and says when it found secrets', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const file = join(dir.path, 'agent.env');
    writeFileSync(file, 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    const ask = await fb('evidence', 'add', id, file, '--step', 'snapshot-iam-state');
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('step snapshot-iam-state asks for 3 artifacts; say which this file is with --step ARTIFACT:');
    expect(ask.stderr).toContain('  credential-report  IAM credential report and access advisor data');
    const added = await fb('evidence', 'add', id, file, '--step', 'credential-report');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^[0-9a-f]{64} {2}.*agent\.env\n$/);
    expect(added.stderr).toMatch(/EV-000001 agent\.env: \d+ SECRETS? FOUND \(redacted\):/);
    expect(added.stderr).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect((await show(id)).evidence['credential-report']?.map((e) => e.id)).toEqual(['EV-000001']);
    // evidence link ID EVIDENCE ARTIFACT: the same item onto another artifact.
    const linked = await fb('evidence', 'link', id, 'EV-000001', 'audit-log-30d');
    expect(linked).toMatchObject({ code: 0, stdout: 'EV-000001: linked steps audit-log-30d, credential-report\n' });
  });

  it('the watch after Recovery: checks from the CLI, Post-Incident closes, the incident reads "closed, monitoring until DATE"', async () => {
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const early = await fb('monitoring', 'check', id, '--clear', '--note', 'nothing');
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('Monitoring starts when Recovery closes.');
    for (const phase of ['containment', 'detection-analysis', 'eradication']) {
      const r = await fb('phase', 'close', id, phase, '--override', `test: ${phase}`);
      expect(r.code).toBe(0);
    }
    const recovery = await fb('phase', 'close', id, 'recovery');
    expect(recovery.code).toBe(1);
    expect(recovery.stderr).not.toContain('thirty-day-observation');
    expect((await fb('phase', 'close', id, 'recovery', '--override', 'test: recovery')).stdout).toContain('; now in Post-Incident');
    const check = await fb('monitoring', 'check', id, '--clear', '--note', 'No DeleteTable by the agent role');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/clear check logged \(monitoring until \d{4}-\d{2}-\d{2}: 1 check logged, 0 alerts\)/);
    const closed = await fb('phase', 'close', id, 'post-incident', '--override', 'test: post-incident');
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(new RegExp(`^${id}: Post-Incident closed with an override \\(recorded\\); the incident is closed, monitoring until \\d{4}-\\d{2}-\\d{2}\\n`));
    expect((await fb('incident', 'list')).stdout).toMatch(/closed, monitoring until \d{4}-\d{2}-\d{2}/);
    expect((await fb('monitoring', 'check', id, '--clear', '--note', 'Day 2: nothing')).code).toBe(0);
    expect((await show(id)).monitoring?.checks.map((c) => c.note)).toEqual(['No DeleteTable by the agent role', 'Day 2: nothing']);
    expect((await fb('monitoring', 'check', id, '--note', 'x')).code).toBe(2);
  });
});

describe('firebreak bundle: numbers counted across incidents (real process, real jq)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());
  const fb = (...args: string[]) => runFirebreak(['--data-dir', join(dir.path, 'data'), ...args]);

  it('VERIFY.txt explains the gaps, and its two jq lists agree: every exhibit of the incident is accounted for', async () => {
    const first = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const other = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    for (const [id, name] of [[first, 'a.txt'], [other, 'b.txt'], [first, 'c.txt']] as const) {
      writeFileSync(join(dir.path, name), `${name}\n`);
      expect((await fb('evidence', 'add', id, join(dir.path, name))).code).toBe(0);
    }
    const zip = join(dir.path, 'case.zip');
    expect((await fb('bundle', first, '--out', zip)).code).toBe(0);
    const out = join(dir.path, 'unzipped');
    await extract(zip, out);
    const root = join(out, `${first}-case-bundle`);
    const verify = readFileSync(join(root, 'VERIFY.txt'), 'utf8');
    expect(verify).toContain('EV-000026\nfollowed by EV-000029 is not a removed exhibit');
    const commands = verify.split('\n').filter((l) => /^ {3}jq -r '(select|\.items)/.test(l)).map((l) => l.trim());
    expect(commands).toHaveLength(2);
    const lists = commands.map((c) => execSync(c, { cwd: root, encoding: 'utf8' }));
    expect(lists[0]).toBe('EV-000001\nEV-000003\n');
    expect(lists[1]).toBe(lists[0]);
  });
});
