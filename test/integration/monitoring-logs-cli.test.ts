import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';
import { runFirebreak } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const STRATUS = resolve(repoRoot, '..', 'shared', 'reference', 'cloudtrail', 'samples', 'stratus-red-team');

interface Shown {
  phase: string;
  monitoring: { startedAt: string; checks: Array<{ result: string; note: string }>; alerts: number } | null;
}

/**
 * `firebreak monitoring check ID --logs PATH...` as a responder runs it during the watch: the real process, real
 * recorded CloudTrail (Stratus Red Team, the IAM user `christophe` named as the agent), each check recorded with what
 * it found, and a path that cannot be read refused with exit 2 and nothing recorded.
 */
describe('firebreak monitoring check --logs (real process, real recorded CloudTrail)', () => {
  const dir = tempDir('fb-monitoring-logs-');
  const fb = (...args: string[]) => runFirebreak(['--data-dir', join(dir.path, 'data'), ...args]);
  const show = async (id: string) => JSON.parse((await fb('incident', 'show', id, '--json')).stdout) as Shown;
  let id = '';

  beforeAll(async () => {
    id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', 'agent_username=christophe')).stdout.trim();
    for (const phase of ['containment', 'detection-analysis', 'eradication', 'recovery']) {
      expect((await fb('phase', 'close', id, phase, '--override', `test: ${phase}`)).code).toBe(0);
    }
  }, 120_000);
  afterAll(() => dir.cleanup());

  it('a path that cannot be read: exit 2, a message naming it, no check recorded', async () => {
    const missing = join(dir.path, 'no-such-export.json.gz');
    const r = await fb('monitoring', 'check', id, '--logs', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(r.stdout).toBe('');
    expect((await show(id)).monitoring?.checks).toEqual([]);
  }, 60_000);

  it('recorded calls from before the watch: a clear check that says what was looked at', async () => {
    // Stratus' StopLogging by christophe, recorded in 2024: an agent call, but long before this watch started.
    const r = await fb('monitoring', 'check', id, '--logs', join(STRATUS, 'aws.defense-evasion.cloudtrail-stop.json'), '--note', 'Daily export, day 1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${id}: clear: no high-risk calls by agent identities in 1 export since \\S+ \\(monitoring until \\d{4}-\\d{2}-\\d{2}: 1 check logged, 0 alerts\\)\\n$`));
    const s = await show(id);
    expect(s.monitoring?.checks).toHaveLength(1);
    expect(s.monitoring?.checks[0]).toMatchObject({ result: 'clear' });
    expect(s.monitoring?.checks[0]?.note).toMatch(/^Daily export, day 1 \(no high-risk calls by agent identities in 1 export since /);
    // The export was taken in as evidence before it was judged.
    const items = JSON.parse((await fb('evidence', 'list', id, '--json')).stdout) as Array<{ name: string }>;
    expect(items.map((i) => i.name)).toEqual(['aws.defense-evasion.cloudtrail-stop.json']);
  }, 120_000);

  it('a destructive call by the agent inside the watch: exit 1, an alert naming the call, Containment reopens', async () => {
    // The recorded DeleteTrail by christophe, its time moved into the watch (everything else as recorded).
    const records = JSON.parse(readFileSync(join(STRATUS, 'aws.defense-evasion.cloudtrail-delete.json'), 'utf8')) as Array<Record<string, unknown>>;
    const inWatch = join(dir.path, 'day-2.json');
    writeFileSync(inWatch, JSON.stringify({ Records: records.map((r) => ({ ...r, eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') })) }));
    const r = await fb('monitoring', 'check', id, '--logs', inWatch);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${id}: ALERT: 1 high-risk call by agent identities since \\S+: DeleteTrail at \\S+; Containment is reopened \\(monitoring until \\d{4}-\\d{2}-\\d{2}: 2 checks logged, 1 alert\\)\\n$`));
    const s = await show(id);
    expect(s.monitoring?.checks.map((c) => c.result)).toEqual(['clear', 'alert']);
    expect(s.monitoring?.checks[1]?.note).toMatch(/^1 high-risk call by agent identities since \S+: DeleteTrail at /);
    expect(s.phase).toBe('containment');
    expect((await fb('audit', 'verify', id)).code).toBe(0);
  }, 120_000);
});
