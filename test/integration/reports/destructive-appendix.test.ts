import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentReportModel } from '../../../electron/shared/reports';
import { repoRoot } from '../../helpers/core';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const INVICTUS = resolve(repoRoot, '..', 'shared', 'reference', 'cloudtrail', 'samples', 'invictus-ir-aws_dataset', 'CloudTrail');

interface RawRecord {
  eventID: string;
  eventName: string;
  userIdentity?: { userName?: string };
}

/**
 * The incident report's appendix "All destructive calls", on the real recorded SANS/Invictus lab trail (the IAM user
 * bert-jan as the agent): every call, not each distinct one, in JSON, Markdown and HTML.
 */
describe('incident report: every destructive call (real process, real recorded CloudTrail)', () => {
  const dir = tempDir('fb-destructive-appendix-');
  const fb = (...args: string[]) => runFirebreak(['--data-dir', join(dir.path, 'data'), ...args]);
  let id = '';
  const out: Record<'json' | 'md' | 'html', string> = { json: '', md: '', html: '' };

  beforeAll(async () => {
    id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action', '--param', 'agent_username=bert-jan')).stdout.trim();
    expect((await fb('cloudtrail', 'import', id, INVICTUS)).code).toBe(0);
    for (const format of ['json', 'md', 'html'] as const) {
      const file = join(dir.path, `report.${format}`);
      expect((await fb('report', id, '--kind', 'incident', '--format', format, '--out', file)).code).toBe(0);
      out[format] = readFileSync(file, 'utf8');
    }
  }, 180_000);
  afterAll(() => dir.cleanup());

  it('lists each DeleteParameter call bert-jan made, as the recorded files hold them, in every format', () => {
    // What the recorded files say, read without Firebreak: bert-jan's DeleteParameter calls, each event once.
    const recorded = new Set<string>();
    for (const f of readdirSync(INVICTUS).filter((n) => n.endsWith('.json'))) {
      for (const r of (JSON.parse(readFileSync(join(INVICTUS, f), 'utf8')) as { Records: RawRecord[] }).Records) {
        if (r.eventName === 'DeleteParameter' && r.userIdentity?.userName === 'bert-jan') recorded.add(r.eventID);
      }
    }
    expect(recorded.size).toBeGreaterThan(1);

    const m = JSON.parse(out.json) as IncidentReportModel;
    const d = m.destructiveCalls;
    expect(d?.notListed).toBe(0);
    const bert = d?.identities.find((i) => i.agent === 'bert-jan');
    expect(d?.identities[0]).toBe(bert); // agent identities first
    const listed = bert?.calls.filter((c) => c.operation === 'DeleteParameter') ?? [];
    expect(new Set(listed.map((c) => c.eventId))).toEqual(recorded);
    expect(listed).toHaveLength(recorded.size);
    expect(bert?.operations.find((o) => o.operation === 'DeleteParameter')?.calls).toBe(recorded.size);
    // In time order within the operation.
    expect(listed.map((c) => c.at)).toEqual(listed.map((c) => c.at).sort());
    expect(d?.total).toBe(d?.identities.reduce((a, i) => a + i.calls.length, 0));

    for (const c of listed) {
      expect(out.md).toContain(`| DeleteParameter | ${c.resource} | ${c.region} | ${c.status} | ${c.eventId.slice(0, 8)} |`);
      expect(out.html).toContain(`<td>${c.eventId.slice(0, 8)}</td>`);
    }
    expect(out.md).toContain('## Appendix: All destructive calls');
    expect(out.html).toContain('<h2>Appendix: All destructive calls</h2>');
    expect(out.md).toMatch(/### arn:aws:iam::\d+:user\/bert-jan \(agent identity bert-jan\): \d+ destructive calls, \d+ failed/);
  });
});
