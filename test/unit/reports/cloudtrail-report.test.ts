import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentReportModel } from '../../../electron/shared/reports';
import { AGENT_ROLE, AGENT_ROLE_ARN, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { call } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { openReportsIncident } from './support';

describe('incident report with CloudTrail findings', () => {
  const agent = { agent_role_name: AGENT_ROLE, agent_role_arn: AGENT_ROLE_ARN, agent_username: AGENT_ROLE, aws_account_id: '111122223333' };
  const t = perTest(() => openReportsIncident('2026-03-12T09:00:00Z', agent));

  it('lists the findings and dates agent deployment and the first destructive call from them', async () => {
    const corpus = generateCorpus({ dir: join(t.dataDir, 'exports'), records: 3000, recordsPerFile: 1000, agentHighRisk: 6 });
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: corpus.files });
    const m = JSON.parse((await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'json', save: false })).content) as IncidentReportModel;
    expect(m.cloudtrail?.events).toBe(corpus.records);
    expect(m.cloudtrail?.findings.length).toBeGreaterThan(0);
    expect(m.cloudtrail?.findings[0]?.severity).toMatch(/critical|high/);
    const [deployment, destructive] = m.keyTimeline;
    expect(deployment).toMatchObject({ kind: 'agent-deployment', at: expect.stringMatching(/^2026-03-10T/) });
    expect(destructive).toMatchObject({ kind: 'destructive-action', at: expect.stringMatching(/^2026-03-10T/) });
    expect(Date.parse(destructive?.at as string)).toBeGreaterThanOrEqual(Date.parse(deployment?.at as string));
    expect(destructive?.detail).toMatch(/ by arn:aws:sts::111122223333:assumed-role\/ai-agent-prod\//);
    // Every distinct destructive call is named, not only the first.
    const distinct = new Set((destructive?.detail ?? '').match(/\(event [^)]+\)/g) ?? []).size;
    expect(destructive?.detail).toMatch(/ Then \d+ other destructive calls?: /);
    expect(distinct).toBeGreaterThan(1);
    const md = (await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;
    expect(md).toContain(`${corpus.records} events from 2026-03-10`);
    expect(md).toMatch(/\| Finding \| Severity \| Principal \| ATT&CK \| First \| Last \| Events \|/);
  });
});
