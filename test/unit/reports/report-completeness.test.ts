import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ValidationRunRepository } from '../../../electron/core/validation/runs/runs-repository';
import { call } from '../../helpers/core';
import { openIncident, perTest } from '../../helpers/incident';
import { addEvidence } from './support';

/** The incident report says what the record holds: an assumed awareness time, the watch after Recovery, no boilerplate. */
describe('incident report completeness', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));
  const markdown = async () => (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;

  it('says the awareness time is assumed until it is confirmed, and leaves the playbook summary out of the summary', async () => {
    let md = await markdown();
    expect(md).toContain('| Awareness | 2026-05-01 10:00:00 UTC (ASSUMED: the time the incident was opened in Firebreak;');
    expect(md).toContain('The organisation became aware of it on 2026-05-01 10:00:00 UTC (ASSUMED');
    expect(md).not.toContain('This playbook locks the agent identities down');
    await call(t.core, 'workflow.setTime', { id: t.id, kind: 'awareness', at: '2026-05-01T08:30:00Z' });
    md = await markdown();
    expect(md).toContain('| Awareness | 2026-05-01 08:30:00 UTC |');
    expect(md).not.toContain('ASSUMED');
  });

  it('shows the monitoring window and every check logged in it', async () => {
    for (const phaseId of ['containment', 'detection-analysis', 'eradication', 'recovery'] as const) {
      await call(t.core, 'workflow.closePhase', { id: t.id, phaseId, override: `test run: ${phaseId}` });
    }
    t.clock.now = new Date('2026-05-02T10:00:00Z');
    await call(t.core, 'workflow.logMonitoringCheck', { id: t.id, result: 'clear', note: 'No DeleteTable by the agent role in CloudTrail' });
    const md = await markdown();
    expect(md).toContain('### Monitoring after Recovery');
    expect(md).toContain('Watched from 2026-05-01 10:00:00 UTC to 2026-05-31 10:00:00 UTC: 1 check logged, 0 alerts.');
    expect(md).toMatch(/\| 2026-05-02 10:00:00 UTC \| clear \| .* \| No DeleteTable by the agent role in CloudTrail \|/);
  });
});

describe('incident report: secrets in evidence', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));

  it('lists each secret the intake scan found, by kind and line, redacted, never the secret itself', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await addEvidence(t.core, t.id, 'agent.env', `REGION=eu-west-1\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
    const md = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;
    expect(md).toContain('### Secrets found in evidence');
    expect(md).toMatch(/\| EV-000001 agent\.env \| [^|]+ \| line 2 \| [^|]+ \|/);
    const html = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'html', save: false })).content;
    expect(html).toContain('Secrets found in evidence');
    expect(md + html).not.toContain(secret);
    expect(md + html).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('incident report: log files that could not be read', () => {
  const t = perTest(() => openIncident({ at: '2026-03-12T09:00:00Z' }));
  const record = (id: string, at: string) => ({ eventVersion: '1.11', eventTime: at, eventSource: 'dynamodb.amazonaws.com', eventName: 'DescribeTable', eventID: id });

  it('names each file read only in part and why, and does not call such a file intact without saying so', async () => {
    const whole = join(t.dataDir, 'whole.json');
    writeFileSync(whole, JSON.stringify({ Records: [record('e-1', '2026-03-10T00:00:01Z')] }));
    const cut = join(t.dataDir, 'cut.json.gz');
    const gz = gzipSync(JSON.stringify({ Records: Array.from({ length: 2000 }, (_, i) => ({ ...record(`c-${i}`, '2026-03-10T00:00:02Z'), pad: 'x'.repeat(200 + (i % 97)) })) }));
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const refused = join(t.dataDir, 'refused.json');
    writeFileSync(refused, JSON.stringify({ Records: [record('r-1', '2026-03-10T00:00:03Z'), record('r-2', 'yesterday')] }));
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: [whole, cut, refused] });
    const md = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;
    expect(md).toContain('### Log files that could not be read in full');
    expect(md).toMatch(/\| CloudTrail import \| EV-\d{6} \| [^|]*cut\.json\.gz \| read in part \| [^|]*truncated gzip[^|]* \|/);
    expect(md).toMatch(/\| CloudTrail import \| EV-\d{6} \| [^|]*refused\.json \| read in part \| [^|]*1 record refused for want of a valid eventTime[^|]* \|/);
    expect(md).not.toMatch(/whole\.json \| read in part/);
    expect(md).toMatch(/\| cut\.json\.gz \|[^\n]*\| intact, READ IN PART \|/);
    expect(md).toMatch(/\| whole\.json \|[^\n]*\| intact \|/);
    const html = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'html', save: false })).content;
    expect(html).toContain('Log files that could not be read in full');
    expect(html).toContain('intact, READ IN PART');
  });
});

describe('incident report: what each validation result is about', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));

  it('names the database of every run and the baseline a compare was held against', async () => {
    const repo = new ValidationRunRepository(t.core.context.db);
    const run = (kind: 'baseline' | 'compare', target: string, baselineRunId: string | null) => {
      const r = repo.insert({ incidentId: t.id, kind, target, engine: 'postgresql', baselineRunId, options: {}, startedAt: '2026-05-01T10:00:00Z', startedBy: { name: 'Dana Reyes', role: 'IR lead' } });
      repo.finish(r.id, { status: 'done', finishedAt: '2026-05-01T10:05:00Z', verdict: kind === 'compare' ? 'match' : 'ok', summary: 'all 15 tables' });
      return r.id;
    };
    const baseline = run('baseline', 'postgres://firebreak@orders-db.internal:5432/orders', null);
    const compare = run('compare', 'postgres://firebreak@restore.internal:5432/orders_restored', baseline);
    const md = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;
    expect(md).toContain('| Run | Kind | Verdict | About | Finished | Result |');
    expect(md).toContain(`| ${baseline} | baseline | ok | PostgreSQL database orders on orders-db.internal:5432 |`);
    expect(md).toContain(`| ${compare} | compare | match | PostgreSQL database orders_restored on restore.internal:5432 against baseline ${baseline} (taken orders on orders-db.internal:5432) |`);
    const html = (await call<{ content: string }>(t.core, 'reports.export', { id: t.id, kind: 'incident', format: 'html', save: false })).content;
    expect(html).toContain(`against baseline ${baseline} (taken orders on orders-db.internal:5432)`);
  });
});
