import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { call } from '../../helpers/core';
import { openIncident, perTest } from '../../helpers/incident';

const ROLE = 'arn:aws:iam::111122223333:role/db-agent';
const record = (id: string, at: string) => ({
  eventVersion: '1.11',
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/db-agent/run-1', sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } } },
  eventTime: at,
  eventSource: 'dynamodb.amazonaws.com',
  eventName: 'DescribeTable',
  awsRegion: 'us-east-1',
  readOnly: true,
  eventID: id,
});

/** A CloudTrail import whose events span the 30 days before containment files itself as the 30-day audit log. */
describe('CloudTrail import of the look-back window', () => {
  const t = perTest(() => openIncident({ at: '2026-03-12T09:00:00Z', create: { playbookId: 'agent-destructive-action', params: { agent_role_arn: ROLE } } }));
  const exportFile = (name: string, records: unknown[]) => {
    const path = join(t.dataDir, name);
    writeFileSync(path, JSON.stringify({ Records: records }));
    return path;
  };
  const linkedToAuditLog = async () =>
    (await call<EvidenceItem[]>(t.core, 'evidence.list', { incidentId: t.id })).filter((i) => i.linkedSteps.includes('audit-log-30d')).map((i) => i.name).sort();

  it('links nothing while the logs cover only the last days, then every imported file once they span the 30 days', async () => {
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: [exportFile('recent.json', [record('e-1', '2026-03-10T12:00:00Z'), record('e-2', '2026-03-12T08:30:00Z')])] });
    expect(await linkedToAuditLog()).toEqual([]);
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: [exportFile('february.json', [record('e-0', '2026-02-10T11:00:00Z')])] });
    expect(await linkedToAuditLog()).toEqual(['february.json', 'recent.json']);
  });

  it('counts the window back from when Containment closed, not from the import', async () => {
    await call(t.core, 'workflow.closePhase', { id: t.id, phaseId: 'containment', override: 'test run: logs come later' });
    t.clock.now = new Date('2026-04-20T09:00:00Z');
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: [exportFile('window.json', [record('e-0', '2026-02-10T11:00:00Z'), record('e-1', '2026-03-12T08:00:00Z')])] });
    expect(await linkedToAuditLog()).toEqual(['window.json']);
  });
});
