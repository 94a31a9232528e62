import { describe, expect, it } from 'vitest';
import { addBusinessDays, regulatoryClocks } from '../../../electron/core/workflow/clocks';

describe('regulatory clocks', () => {
  it('counts business days over weekends', () => {
    // Thursday 2026-05-07 + 4 business days = Wednesday 2026-05-13.
    expect(addBusinessDays(new Date('2026-05-07T15:00:00Z'), 4).toISOString()).toBe('2026-05-13T15:00:00.000Z');
    // Saturday + 1 business day = Monday.
    expect(addBusinessDays(new Date('2026-05-09T10:00:00Z'), 1).toISOString()).toBe('2026-05-11T10:00:00.000Z');
  });

  it('starts GDPR and HIPAA at awareness, SEC only at the materiality determination', () => {
    const base = { awarenessAt: '2026-05-01T10:00:00.000Z', notifications: new Map(), now: new Date('2026-05-02T00:00:00Z') };
    const clocks = regulatoryClocks({ ...base, categories: ['personal', 'health', 'financial'], materialityAt: null });
    const by = Object.fromEntries(clocks.map((c) => [c.regime, c]));
    expect(by.GDPR).toMatchObject({ status: 'running', dueAt: '2026-05-04T10:00:00.000Z', rule: 'Art. 33' });
    expect(by['HIPAA Breach Notification Rule']).toMatchObject({ dueAt: '2026-06-30T10:00:00.000Z' });
    expect(by['SEC cybersecurity disclosure']).toMatchObject({ status: 'waiting', startedAt: null, dueAt: null });

    const later = regulatoryClocks({ ...base, categories: ['financial'], materialityAt: '2026-05-07T15:00:00.000Z' });
    expect(later.find((c) => c.regime === 'SEC cybersecurity disclosure')).toMatchObject({ status: 'running', dueAt: '2026-05-13T15:00:00.000Z' });
  });

  it('is overdue after the deadline and notified once recorded', () => {
    const input = { categories: ['personal'] as const, awarenessAt: '2026-05-01T10:00:00.000Z', materialityAt: null };
    expect(regulatoryClocks({ ...input, notifications: new Map(), now: new Date('2026-05-05T00:00:00Z') })[0]?.status).toBe('overdue');
    const notified = new Map([['GDPR', { at: '2026-05-03T09:00:00.000Z', note: 'ICO reference 123' }]]);
    expect(regulatoryClocks({ ...input, notifications: notified, now: new Date('2026-05-05T00:00:00Z') })[0]).toMatchObject({
      status: 'notified',
      notifiedAt: '2026-05-03T09:00:00.000Z',
    });
  });
});
