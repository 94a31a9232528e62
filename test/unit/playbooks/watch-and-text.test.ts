import { describe, expect, it } from 'vitest';
import { fillText } from '../../../electron/shared/playbook/fill-text';
import { lintPlaybookText } from '../../../electron/shared/playbook/lint';
import { stepForRun } from '../../../electron/shared/playbook/run-steps';
import { catalog, shipped, shippedText } from './support';

describe('the monitoring watch in playbooks', () => {
  it('lint refuses a gate that waits for the watch, which only starts after its phase closes', () => {
    const text = shippedText('agent-destructive-action').replace('        - reinstatement-sign-off\n      evidence:', '        - reinstatement-sign-off\n        - thirty-day-observation\n      evidence:');
    const { problems } = lintPlaybookText(text, { catalog });
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringContaining('names step "thirty-day-observation", the monitoring watch: it runs after the phase closes, so no gate can require it'));
  });
});

describe('step text and run defaults', () => {
  it('fills set parameters into step text and keeps the placeholder of one not set', () => {
    expect(fillText('Compare {{production_database_url}} with {{ restore_database_url }}', { production_database_url: 'postgres://db.internal/orders' })).toBe(
      'Compare postgres://db.internal/orders with {{ restore_database_url }}',
    );
  });

  it('records a run for the step matching its action: a backup check for the backup records, not the compare step', () => {
    const playbook = shipped('agent-destructive-action');
    expect(stepForRun(playbook, 'baseline')).toBe('baseline-restored-backup');
    expect(stepForRun(playbook, 'compare')).toBe('compare-production-to-baseline');
    expect(stepForRun(playbook, 'check-backup')).toBe('backup-validation-records');
    expect(stepForRun(playbook, 'check-database')).toBe('backup-validation-records');
  });
});
