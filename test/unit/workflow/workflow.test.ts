import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { call, repoRoot, testCore } from '../../helpers/core';
import { openIncident, perTest } from '../../helpers/incident';
import { tempDir } from '../../helpers/temp';

describe('guided workflow', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));

  const get = () => call<IncidentRun>(t.core, 'workflow.get', { id: t.id });

  it('starts in Containment with every phase open and gates naming what they need', async () => {
    const run = await get();
    expect(run.phases.map((p) => p.id)).toEqual(['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident']);
    expect(run.incident.phase).toBe('containment');
    const containment = run.phases[0]!;
    expect(containment.gate.met).toBe(false);
    expect(containment.gate.missingSteps.map((s) => s.id)).toContain('revoke-excess-permissions');
    expect(containment.gate.missingEvidence.map((e) => e.id)).toEqual(['iam-policy-snapshot', 'credential-report', 'audit-log-30d']);
    // A step a decision opens stays hidden until then.
    expect(run.steps['protect-backups']).toMatchObject({ hidden: true, required: false });
  });

  it('refuses to close a phase whose gate is not met, listing every missing item', async () => {
    const r = await t.core.call('workflow.closePhase', { id: t.id, phaseId: 'containment' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('gate-not-met');
    expect(r.error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^step revoke-excess-permissions: .*\(not done\)$/), `evidence audit-log-30d: Audit logs of the 30 days before containment (nothing attached; attach it in the Evidence tab, or: firebreak evidence add ${t.id} FILE --step audit-log-30d)`]));
  });

  it('closes with an override that records the justification and what was waived', async () => {
    await call(t.core, 'workflow.setStep', { id: t.id, stepId: 'revoke-excess-permissions', status: 'done' });
    const run = await call<IncidentRun>(t.core, 'workflow.closePhase', { id: t.id, phaseId: 'containment', override: 'Forensics holds the evidence: ticket IR-77' });
    const c = run.phases[0]!;
    expect(c.status).toBe('closed');
    expect(c.override).toMatchObject({ reason: 'Forensics holds the evidence: ticket IR-77', by: { name: 'Dana Reyes' } });
    expect(c.override?.missing.missingSteps.map((s) => s.id)).not.toContain('revoke-excess-permissions');
    expect(run.incident.phase).toBe('detection-analysis');
    const timeline = await call<Array<{ action: string; summary: string }>>(t.core, 'workflow.timeline', { id: t.id });
    expect(timeline.at(-2)).toMatchObject({ action: 'phase.closed-with-override', summary: expect.stringMatching(/^OVERRIDE: closed Containment .*ticket IR-77/) });
    // The entry after a close is its ledger checkpoint (unsigned here: the test operator made no key).
    expect(timeline.at(-1)).toMatchObject({ action: 'checkpoint.unsigned', summary: expect.stringMatching(/^Ledger checkpoint CP-000001 \(phase containment closed\) NOT signed: Dana Reyes/) });
    // A closed phase's steps are frozen until it is reopened.
    expect(await t.core.call('workflow.setStep', { id: t.id, stepId: 'snapshot-iam-state', status: 'done' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('closes phases in order only', async () => {
    expect(await t.core.call('workflow.closePhase', { id: t.id, phaseId: 'recovery', override: 'x' })).toMatchObject({
      ok: false,
      error: { message: 'Close Containment, Detection & Analysis, Eradication before Recovery.' },
    });
  });

  it('a required step marked not applicable does not satisfy the gate', async () => {
    await call(t.core, 'workflow.setStep', { id: t.id, stepId: 'revoke-excess-permissions', status: 'na', reason: 'already revoked' });
    const run = await get();
    expect(run.phases[0]!.gate.missingSteps).toContainEqual(expect.objectContaining({ id: 'revoke-excess-permissions', status: 'na' }));
    expect(await t.core.call('workflow.setStep', { id: t.id, stepId: 'revoke-excess-permissions', status: 'na' })).toMatchObject({
      ok: false,
      error: { details: ['reason: say why the step does not apply'] },
    });
  });

  it('a decision opens steps, escalates once, and regulated data starts the clocks from awareness', async () => {
    let run = await call<IncidentRun>(t.core, 'workflow.decide', { id: t.id, stepId: 'backup-access-decision', answers: ['backups-reachable'] });
    expect(run.steps['protect-backups']).toMatchObject({ hidden: false });
    expect(run.escalations.map((e) => e.id)).toEqual(['backup-access']);
    expect(run.escalations[0]!.notify).toEqual(expect.arrayContaining(['CISO']));

    await call(t.core, 'workflow.setTime', { id: t.id, kind: 'awareness', at: '2026-05-01T08:00:00Z' });
    run = await call<IncidentRun>(t.core, 'workflow.decide', { id: t.id, stepId: 'regulated-data-decision', answers: ['personal-data', 'financial-data'] });
    expect(run.clocks.map((c) => c.regime)).toEqual(['GDPR', 'SEC cybersecurity disclosure', 'FTC Safeguards Rule (GLBA)']);
    expect(run.clocks[0]).toMatchObject({ startedAt: '2026-05-01T08:00:00.000Z', dueAt: '2026-05-04T08:00:00.000Z', status: 'running' });

    run = await call<IncidentRun>(t.core, 'workflow.recordNotification', { id: t.id, regime: 'GDPR', at: '2026-05-02T12:00:00Z', note: 'Filed with the supervisory authority' });
    expect(run.clocks[0]).toMatchObject({ status: 'notified', notifiedAt: '2026-05-02T12:00:00.000Z' });
    expect(await t.core.call('workflow.recordNotification', { id: t.id, regime: 'HIPAA Breach Notification Rule', at: '2026-05-02T12:00:00Z' })).toMatchObject({ ok: false });
    // Answering again does not raise the same escalation twice.
    run = await call<IncidentRun>(t.core, 'workflow.decide', { id: t.id, stepId: 'regulated-data-decision', answers: ['personal-data'] });
    expect(run.escalations.filter((e) => e.id === 'regulated-data')).toHaveLength(1);
  });

  it('validates parameters by type and records every change', async () => {
    const bad = await t.core.call('workflow.setParams', { id: t.id, params: { agent_role_arn: 'deploy-agent', no_such: 'x' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    if (!bad.ok) expect(bad.error.details).toEqual([expect.stringMatching(/^agent_role_arn: "deploy-agent" is not an ARN/), expect.stringMatching(/^no_such: the playbook declares no such parameter/)]);
    await call(t.core, 'workflow.setParams', { id: t.id, params: { agent_role_arn: 'arn:aws:iam::123456789012:role/deploy-agent' } });
    const entries = await call<Array<{ action: string; payload: unknown }>>(t.core, 'audit.entries', { scope: t.id });
    expect(entries.at(-1)).toMatchObject({ action: 'parameters.changed', payload: { changes: { agent_role_arn: { from: null, to: 'arn:aws:iam::123456789012:role/deploy-agent' } } } });
  });

  it('refuses a password inside a URL parameter, without repeating it, because parameters are recorded for good', async () => {
    const r = await t.core.call('workflow.setParams', { id: t.id, params: { production_database_url: 'postgres://firebreak:hunter2-Secret@db.internal/orders' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(JSON.stringify(r)).not.toContain('hunter2-Secret');
    if (!r.ok) expect(r.error.details?.[0]).toMatch(/^production_database_url: "postgres:\/\/firebreak:\*\*\*@db.internal\/orders" contains a password/);
    const entries = await call<unknown[]>(t.core, 'audit.entries', { scope: t.id });
    expect(JSON.stringify(entries)).not.toContain('hunter2-Secret');
    await call(t.core, 'workflow.setParams', { id: t.id, params: { production_database_url: 'postgres://firebreak@db.internal/orders' } });
  });

  it('monitoring starts when Recovery closes; an alert reopens Containment; the ledger stays intact', async () => {
    for (const phaseId of ['containment', 'detection-analysis', 'eradication', 'recovery'] as const) {
      await call(t.core, 'workflow.closePhase', { id: t.id, phaseId, override: `test run: ${phaseId}` });
    }
    t.clock.now = new Date('2026-05-11T10:00:00Z');
    let run = await get();
    expect(run.monitoring).toMatchObject({ startedAt: '2026-05-01T10:00:00.000Z', endsAt: '2026-05-31T10:00:00.000Z', daysLeft: 20 });
    run = await call<IncidentRun>(t.core, 'workflow.logMonitoringCheck', { id: t.id, result: 'clear', note: 'No destructive calls in CloudTrail' });
    expect(run.monitoring?.checks).toHaveLength(1);
    run = await call<IncidentRun>(t.core, 'workflow.logMonitoringCheck', { id: t.id, result: 'alert', note: 'DeleteTable by the agent role' });
    expect(run.phases[0]!.status).toBe('open');
    expect(run.incident.phase).toBe('containment');
    expect(await call(t.core, 'audit.verify', { scope: t.id })).toMatchObject({ ok: true });
  });

  it('pins the playbook: a later edit of the file does not change a running incident', async () => {
    const resources = tempDir();
    try {
      mkdirSync(join(resources.path, 'playbooks'));
      cpSync(join(repoRoot, 'resources', 'nist'), join(resources.path, 'resources', 'nist'), { recursive: true });
      const file = join(resources.path, 'playbooks', 'agent-destructive-action.yaml');
      copyFileSync(join(repoRoot, 'playbooks', 'agent-destructive-action.yaml'), file);
      const own = testCore(join(resources.path, 'data'), { resourcesDir: resources.path });
      try {
        const first = await call<{ id: string }>(own, 'incidents.create', { playbookId: 'agent-destructive-action' });
        const pinned = await call<IncidentRun>(own, 'workflow.get', { id: first.id });
        const title = pinned.playbook.phases[0]!.steps[0]!.title;
        writeFileSync(file, readFileSync(file, 'utf8').replace(title, 'A title changed after the incident opened'));
        const again = await call<IncidentRun>(own, 'workflow.get', { id: first.id });
        expect(again.playbook.phases[0]!.steps[0]!.title).toBe(title);
        expect(again.incident.playbook.sha256).toBe(pinned.incident.playbook.sha256);
        const second = await call<{ id: string }>(own, 'incidents.create', { playbookId: 'agent-destructive-action' });
        const fresh = await call<IncidentRun>(own, 'workflow.get', { id: second.id });
        expect(fresh.playbook.phases[0]!.steps[0]!.title).toBe('A title changed after the incident opened');
        expect(fresh.incident.playbook.sha256).not.toBe(pinned.incident.playbook.sha256);
      } finally {
        own.close();
      }
    } finally {
      resources.cleanup();
    }
  });
});
