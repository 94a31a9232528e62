import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { call } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { addEvidence, openReportsIncident, recordCompare } from '../reports/support';

/** Steps whose completion is a record: a tick never completes them, the record does. */
describe('steps completed by facts, not ticks', () => {
  const t = perTest(() => openReportsIncident('2026-05-12T14:00:00Z'));
  const run = () => call<IncidentRun>(t.core, 'workflow.get', { id: t.id });
  /** The refusal as the Api answers it: its code, message and details. */
  const refusal = async (method: string, input: unknown) => {
    const r = await t.core.call(method, input);
    return r.ok ? r.value : r.error;
  };
  const done = (stepId: string) => refusal('workflow.setStep', { id: t.id, stepId, status: 'done' });

  it.each([
    ['compare-production-to-baseline', /waiting for a compare of postgres:\/\/firebreak@orders-db\.internal:5432\/orders against the baseline/, /Validation tab/],
    ['baseline-restored-backup', /waiting for a baseline of postgres:\/\/firebreak@restore-scratch\.internal:5432\/orders/, /capture or import a baseline/],
    ['residual-risk-sign-off', /waiting for the signatures of IR lead, CISO, Legal/, /firebreak signoff IR-\d{4}-\d{4} --step residual-risk-sign-off/],
    ['governance-gap-analysis', /waiting for the gap analysis: 0 of \d+ controls fully assessed/, /firebreak gap set IR-\d{4}-\d{4} CONTROL --state STATE/],
    ['pull-agent-activity-30d', /waiting for a CloudTrail log collection/, /firebreak cloudtrail import/],
    ['snapshot-iam-state', /waiting for evidence: /, /firebreak evidence add IR-\d{4}-\d{4} FILE --step iam-policy-snapshot/],
  ])('refuses --done on %s, naming what would complete it', async (stepId, waits, how) => {
    const r = await done(stepId);
    expect(r).toMatchObject({ code: 'gate-not-met', message: expect.stringMatching(waits) });
    expect((r as { details: string[] }).details[0]).toMatch(how);
    expect((await run()).steps[stepId]).toMatchObject({ status: 'todo', proof: { met: false } });
    // Not applicable with a reason stays possible; the gate still counts it as not met.
    await call(t.core, 'workflow.setStep', { id: t.id, stepId, status: 'na', reason: 'out of scope here' });
    const after = await run();
    expect(after.steps[stepId]?.status).toBe('na');
    const phase = after.phases.find((p) => p.id === after.steps[stepId]?.phaseId);
    if (phase?.gate.missingSteps.some((s) => s.id === stepId)) expect(phase.gate.met).toBe(false);
  });

  it('completes a compare step from a matching compare of its store, and only from that', async () => {
    recordCompare(t.core, t.id, 'mismatch', '2026-05-12T10:00:00Z');
    expect((await run()).steps['compare-production-to-baseline']?.proof).toMatchObject({ met: false, text: expect.stringMatching(/did not match the baseline/) });
    const match = recordCompare(t.core, t.id, 'match', '2026-05-12T11:00:00Z');
    const s = (await run()).steps['compare-production-to-baseline'];
    expect(s).toMatchObject({ status: 'done', proof: { met: true, record: match, text: expect.stringContaining(`completed by ${match}`) } });
    // Once proven, marking it done changes nothing and records nothing.
    const before = (await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).length;
    await call(t.core, 'workflow.setStep', { id: t.id, stepId: 'compare-production-to-baseline', status: 'done' });
    expect((await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).length).toBe(before);
  });

  it('completes an evidence step when every artifact has evidence attached', async () => {
    await addEvidence(t.core, t.id, 'iam.json', '{}\n', ['iam-policy-snapshot']);
    expect((await run()).steps['snapshot-iam-state']?.proof?.met).toBe(false);
    await addEvidence(t.core, t.id, 'cred.csv', 'user\n', ['credential-report']);
    const a = await addEvidence(t.core, t.id, 'audit.json', '[]\n', ['audit-log-30d']);
    expect((await run()).steps['snapshot-iam-state']).toMatchObject({ status: 'done', proof: { met: true, record: expect.stringContaining(a.id) } });
  });

  it('never closes the incident silently: the last phase needs an override while a record-backed step is unproven', async () => {
    for (const phaseId of ['containment', 'detection-analysis', 'eradication', 'recovery']) {
      await call(t.core, 'workflow.closePhase', { id: t.id, phaseId, override: 'tabletop exercise' });
    }
    for (const stepId of ['compile-incident-record', 'pre-production-checklist']) {
      await call(t.core, 'workflow.setStep', { id: t.id, stepId, status: 'na', reason: 'tabletop' }).catch(() => undefined);
    }
    const r = await refusal('workflow.closePhase', { id: t.id, phaseId: 'post-incident' });
    expect(r).toMatchObject({ code: 'gate-not-met', message: 'Post-Incident cannot close (it closes the incident): its gate is not met.' });
    expect((r as { details: string[] }).details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^step governance-gap-analysis: .* \(waiting for the gap analysis/),
        expect.stringMatching(/^step residual-risk-sign-off: .* \(waiting for the signatures/),
        expect.stringMatching(/^step compare-production-to-baseline: .* \(waiting for a compare/),
      ]),
    );
    expect((await run()).incident.status).toBe('open');
    await call(t.core, 'workflow.closePhase', { id: t.id, phaseId: 'post-incident', override: 'tabletop exercise, nothing restored' });
    const entries = await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id });
    const closed = entries.find((e) => e.action === 'phase.closed-with-override' && e.subject === 'post-incident');
    expect(closed?.payload).toMatchObject({ justification: 'tabletop exercise, nothing restored', waived: expect.arrayContaining([expect.stringMatching(/^step compare-production-to-baseline/)]) });
    expect((await run()).incident.status).toBe('closed');
  });
});
