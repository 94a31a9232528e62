import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import type { Incident } from '../../electron/shared/domain';
import type { EvidenceItem } from '../../electron/shared/evidence';
import type { ValidationRun } from '../../electron/shared/validation';
import type { IncidentRun } from '../../electron/shared/workflow';
import { call, testCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';

describe('the sample incident', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(() => {
    dir = tempDir();
    core = testCore(dir.path);
  });
  afterEach(() => {
    core.close();
    dir.cleanup();
  });

  const compare = async (id: string, baselineRunId: string): Promise<ValidationRun> => {
    const run = await call<IncidentRun>(core, 'workflow.get', { id });
    let r = await call<ValidationRun>(core, 'validation.start', {
      kind: 'compare',
      incidentId: id,
      target: { url: run.incident.params.production_database_url },
      baselineRunId,
    });
    while (r.status === 'running') r = await call<ValidationRun>(core, 'validation.status', { runId: r.id, waitMs: 5000 });
    return r;
  };

  it('is marked SAMPLE, recorded as automated work, and shows a real mismatch until the backup is restored', async () => {
    const incident = await call<Incident>(core, 'sample.create');
    expect(incident).toMatchObject({ sample: true, playbook: { id: 'agent-destructive-action' } });

    const entries = await call<Array<{ initiator: string; actor: string; action: string }>>(core, 'audit.entries', { scope: incident.id });
    expect(entries[0]).toMatchObject({ action: 'incident.opened', initiator: 'automated', actor: 'sample generator (started by Dana Reyes)' });
    expect(entries.every((e) => e.initiator === 'automated')).toBe(true);

    const evidence = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: incident.id });
    expect(evidence.filter((e) => e.sourceKind === 'cloudtrail-export').length).toBeGreaterThan(40);
    expect(evidence.find((e) => e.linkedSteps.includes('iam-policy-snapshot'))).toBeDefined();

    const baselines = await call<ValidationRun[]>(core, 'validation.runs', { incidentId: incident.id, kind: 'baseline' });
    expect(baselines).toHaveLength(1);
    const first = await compare(incident.id, baselines[0]!.id);
    expect(first).toMatchObject({ verdict: 'mismatch', summary: expect.stringMatching(/InvoiceLine -120 rows/) });

    await call(core, 'sample.restoreBackup', { id: incident.id });
    expect(await compare(incident.id, baselines[0]!.id)).toMatchObject({ verdict: 'match' });
    expect(await call(core, 'audit.verify', { scope: incident.id })).toMatchObject({ ok: true });
  });

  it('refuses to restore anything in an incident that is not a sample', async () => {
    const real = await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action' });
    expect(await core.call('sample.restoreBackup', { id: real.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
