import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident } from '../../electron/shared/domain';
import type { Signer } from '../../electron/shared/signers';
import type { SignOffRecord, SignOffStatus } from '../../electron/shared/signoff';
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

  it('is signed off by its fictional signers, each with a key made on a machine of their own and enrolled by public key', async () => {
    const incident = await call<Incident>(core, 'sample.create');
    const id = incident.id;
    const [baseline] = await call<ValidationRun[]>(core, 'validation.runs', { incidentId: id, kind: 'baseline' });
    // Refused while the gate is shut: the restore has not been validated.
    expect(await core.call('sample.signOff', { id })).toMatchObject({ ok: false, error: { code: 'gate-not-met' } });
    await call(core, 'sample.restoreBackup', { id });
    expect(await compare(id, baseline!.id)).toMatchObject({ verdict: 'match' });
    const evidence = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId: id });
    for (const attestationId of ['data-restored-and-validated', 'policy-peer-reviewed', 'destructive-call-alerting-tested']) {
      await call(core, 'signoff.linkEvidence', { id, attestationId, itemId: evidence[0]!.id });
    }
    const signed = await call<SignOffRecord[]>(core, 'sample.signOff', { id });
    expect(signed.map((s) => [s.role, s.name, s.scheme])).toEqual([
      ['IR lead', 'Jordan Avery', 'sshsig'],
      ['CISO', 'Morgan Lee', 'sshsig'],
      ['Legal', 'Sam Ortiz', 'sshsig'],
    ]);
    expect(new Set(signed.map((s) => s.fingerprint)).size).toBe(3);
    // Enrolled as SAMPLE signers, by the sample generator, and revoked once they signed: their keys are gone.
    const enrolled = await call<Signer[]>(core, 'signers.list', { includeRevoked: true });
    expect(enrolled.map((s) => [s.name, s.sample, s.enrolledBy.name, Boolean(s.revoked)])).toEqual([
      ['Jordan Avery', true, 'sample generator (started by Dana Reyes)', true],
      ['Morgan Lee', true, 'sample generator (started by Dana Reyes)', true],
      ['Sam Ortiz', true, 'sample generator (started by Dana Reyes)', true],
    ]);
    expect(await call<Signer[]>(core, 'signers.list', {})).toEqual([]);
    expect(existsSync(join(dir.path, 'keys'))).toBe(false);
    expect((await call<SignOffStatus[]>(core, 'signoff.status', { id }))[0]?.complete).toBe(true);
    expect(await call(core, 'audit.verify', { scope: id })).toMatchObject({ ok: true });
    expect(await call(core, 'audit.verify', { scope: 'system' })).toMatchObject({ ok: true });
  });

  it('refuses to restore anything in an incident that is not a sample', async () => {
    const real = await call<Incident>(core, 'incidents.create', { playbookId: 'agent-destructive-action' });
    expect(await core.call('sample.restoreBackup', { id: real.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await core.call('sample.signOff', { id: real.id })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is not a sample incident/) } });
  });
});
