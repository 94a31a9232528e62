import { describe, expect, it } from 'vitest';
import { type Incident, incidentStanding } from '../../../electron/shared/domain';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { call } from '../../helpers/core';
import { openIncident, perTest } from '../../helpers/incident';

describe('the 30-day watch is its own track after Recovery', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));
  const get = () => call<IncidentRun>(t.core, 'workflow.get', { id: t.id });

  it('the Recovery gate does not wait for the watch, which only starts when Recovery closes', async () => {
    const run = await get();
    const recovery = run.phases.find((p) => p.id === 'recovery')!;
    expect(recovery.gate.missingSteps.map((s) => s.id)).not.toContain('thirty-day-observation');
    expect(run.steps['thirty-day-observation']).toMatchObject({ track: 'monitoring', required: false, status: 'todo' });
    expect(run.steps['thirty-day-observation']?.proof?.text).toBe('the 30-day watch starts when Recovery closes');
  });

  it('Post-Incident closes while the watch runs: "closed, monitoring until DATE", checks still recorded, the watch done after 30 days', async () => {
    for (const phaseId of ['containment', 'detection-analysis', 'eradication', 'recovery'] as const) {
      const closed = await call<IncidentRun>(t.core, 'workflow.closePhase', { id: t.id, phaseId, override: `test run: ${phaseId}` });
      const phase = closed.phases.find((p) => p.id === phaseId)!;
      expect(JSON.stringify(phase.override?.missing)).not.toContain('thirty-day-observation');
    }
    t.clock.now = new Date('2026-05-03T09:00:00Z');
    const closed = await call<IncidentRun>(t.core, 'workflow.closePhase', { id: t.id, phaseId: 'post-incident', override: 'test run: post-incident' });
    expect(closed.incident.status).toBe('closed');
    // The watch never holds the close: what the override waived does not name it.
    expect(JSON.stringify(closed.phases.at(-1)?.override?.missing)).not.toContain('thirty-day-observation');
    expect(closed.incident.monitoringUntil).toBe('2026-05-31T10:00:00.000Z');
    expect(incidentStanding(closed.incident, t.clock.now)).toBe('closed, monitoring until 2026-05-31');
    const listed = await call<Incident[]>(t.core, 'incidents.list', {});
    expect(incidentStanding(listed[0]!, t.clock.now)).toBe('closed, monitoring until 2026-05-31');

    const checked = await call<IncidentRun>(t.core, 'workflow.logMonitoringCheck', { id: t.id, result: 'clear', note: 'No destructive calls' });
    expect(checked.incident.status).toBe('closed');
    expect(checked.steps['thirty-day-observation']?.proof).toMatchObject({ met: false, text: 'monitoring until 2026-05-31: 1 check logged, 0 alerts' });

    t.clock.now = new Date('2026-06-01T00:00:00Z');
    const after = await get();
    expect(after.steps['thirty-day-observation']).toMatchObject({ status: 'done', proof: { met: true, text: 'watched from 2026-05-01 to 2026-05-31: 1 check logged, 0 alerts' } });
    expect(incidentStanding(after.incident, t.clock.now)).toBe('closed');
    expect(await call(t.core, 'audit.verify', { scope: t.id })).toMatchObject({ ok: true });
  });
});

describe('awareness is asked, not assumed', () => {
  const t = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));

  it('is the opening time, marked assumed, until someone confirms it', async () => {
    const run = await call<IncidentRun>(t.core, 'workflow.get', { id: t.id });
    expect(run).toMatchObject({ awarenessAt: '2026-05-01T10:00:00.000Z', awarenessAssumed: true });
    const confirmed = await call<IncidentRun>(t.core, 'workflow.setTime', { id: t.id, kind: 'awareness', at: '2026-05-01T10:00:00Z', note: 'pager alert' });
    expect(confirmed).toMatchObject({ awarenessAt: '2026-05-01T10:00:00.000Z', awarenessAssumed: false });
    const entries = await call<Array<{ action: string; payload: Record<string, unknown> }>>(t.core, 'audit.entries', { scope: t.id });
    expect(entries.find((e) => e.action === 'awareness.recorded')?.payload).toMatchObject({ previous: null, note: 'pager alert' });
  });

  it('is recorded as confirmed when the opener gives it, and a future time is refused', async () => {
    const opened = await call<{ id: string }>(t.core, 'incidents.create', { playbookId: 'agent-destructive-action', awareAt: '2026-04-30T22:15:00+02:00' });
    const run = await call<IncidentRun>(t.core, 'workflow.get', { id: opened.id });
    expect(run).toMatchObject({ awarenessAt: '2026-04-30T20:15:00.000Z', awarenessAssumed: false });
    const future = await t.core.call('incidents.create', { playbookId: 'agent-destructive-action', awareAt: '2026-05-02T10:00:00Z' });
    expect(future).toMatchObject({ ok: false, error: { code: 'bad-input', message: 'The awareness time 2026-05-02T10:00:00.000Z is in the future.' } });
  });
});
