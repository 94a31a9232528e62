import { describe, expect, it } from 'vitest';
import { validationGateText } from '../../../electron/core/reports/format';
import type { ValidationGate } from '../../../electron/shared/signoff';

const gate = (g: Partial<ValidationGate>): ValidationGate => ({
  status: 'match',
  runId: 'VR-000007',
  comparedAt: '2026-05-02T08:15:00.000Z',
  summary: null,
  evidenceId: null,
  ...g,
});

describe('the sign-off gate in words (HTML and Markdown reports)', () => {
  it('says exactly what each compare status proves', () => {
    expect(validationGateText(gate({ status: 'match' }))).toBe('VR-000007 matched the baseline on every table of the database (2026-05-02 08:15:00 UTC)');
    expect(validationGateText(gate({ status: 'mismatch' }))).toBe('VR-000007 did NOT match the baseline (2026-05-02 08:15:00 UTC)');
    expect(validationGateText(gate({ status: 'missing', runId: null, comparedAt: null }))).toBe('no comparison has been started');
  });

  it('never calls a partial compare a mismatch: its tables matched, its coverage is what falls short', () => {
    const text = validationGateText(gate({ status: 'partial', notCompared: ['public.invoices', 'public.refunds'] }));
    expect(text).toBe(
      'VR-000007 matched the tables it compared but does NOT prove the whole database: not compared: public.invoices, public.refunds (2026-05-02 08:15:00 UTC)',
    );
    expect(text).not.toContain('did NOT match');
    expect(validationGateText(gate({ status: 'partial', detail: 'the baseline is a CSV of row counts' }))).toContain('does NOT prove the whole database: the baseline is a CSV of row counts');
  });

  it('says why a compare that did not finish proves nothing', () => {
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'failed', detail: 'connection refused' }))).toBe(
      'VR-000007 proves nothing: it failed (connection refused) (2026-05-02 08:15:00 UTC)',
    );
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'running' }))).toContain('proves nothing: it is still running');
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'interrupted' }))).toContain('it was cut off when Firebreak closed');
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'cancelled' }))).toContain('it was cancelled');
  });
});
