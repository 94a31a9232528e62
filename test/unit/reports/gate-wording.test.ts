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

// The details below are worded as electron/core/case/signoff-status.ts words them.
describe('the sign-off gate in words (HTML and Markdown reports)', () => {
  it('says what a match, a mismatch and no compare at all mean', () => {
    expect(validationGateText(gate({ status: 'match' }))).toBe('VR-000007 matched the baseline (2026-05-02 08:15:00 UTC)');
    expect(validationGateText(gate({ status: 'mismatch' }))).toBe('VR-000007 did NOT match the baseline (2026-05-02 08:15:00 UTC)');
    expect(validationGateText(gate({ status: 'missing', runId: null, comparedAt: null }))).toBe('no comparison has been started');
  });

  it('never calls a partial compare a mismatch: its tables matched, its coverage is what falls short', () => {
    const detail = 'the baseline covered only the tables chosen at capture; 2 tables were not compared: public.invoices, public.refunds';
    const text = validationGateText(gate({ status: 'partial', notCompared: ['public.invoices', 'public.refunds'], detail }));
    expect(text).toBe(`VR-000007 matched the tables it compared but does NOT prove the whole database: ${detail} (2026-05-02 08:15:00 UTC)`);
    expect(text).not.toContain('did NOT match');
    expect(validationGateText(gate({ status: 'partial', notCompared: [] }))).toContain('does NOT prove the whole database: what it covered cannot be told');
  });

  it('says why a compare that did not finish proves nothing, once', () => {
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'failed', detail: 'it failed: connect ECONNREFUSED 127.0.0.1:5432' }))).toBe(
      'VR-000007 proves nothing: it failed: connect ECONNREFUSED 127.0.0.1:5432 (2026-05-02 08:15:00 UTC)',
    );
    expect(validationGateText(gate({ status: 'not-proven', runStatus: 'running' }))).toBe('VR-000007 proves nothing: it did not finish (2026-05-02 08:15:00 UTC)');
  });
});
