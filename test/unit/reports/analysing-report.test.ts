import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisRunsRepository } from '../../../electron/core/cloudtrail/store/analysis-runs-repository';
import type { FindingsSummary } from '../../../electron/shared/cloudtrail';
import { call, repoRoot } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { openReportsIncident } from './support';

const STRATUS = resolve(repoRoot, '..', 'shared', 'reference', 'cloudtrail', 'samples', 'stratus-red-team');

/** While an analysis commits its batches (or waits to be resumed), what it has written so far is not presented as final. */
describe('reports and the summary while an analysis is being committed', () => {
  const t = perTest(() => openReportsIncident('2026-03-12T09:00:00Z', { agent_username: 'christophe' }));

  it('say the analysis is in progress and not final, then nothing once it is done', async () => {
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: [resolve(STRATUS, 'aws.defense-evasion.cloudtrail-delete.json')] });
    const done = (await call(t.core, 'cloudtrail.summary', { incidentId: t.id })) as FindingsSummary;
    expect(done.analysing).toBeNull();
    const md = async () => (await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'md', save: false })).content;
    expect(await md()).not.toContain('ANALYSIS IN PROGRESS');

    // As a running analysis leaves it between two of its batches.
    const runs = new AnalysisRunsRepository(t.core.context.db);
    const generation = runs.begin(t.id, '2026-03-12T10:00:00.000Z', 'elsewhere:1', 'CTC-000009');
    const running = (await call(t.core, 'cloudtrail.summary', { incidentId: t.id })) as FindingsSummary;
    expect(running.analysing).toEqual({ since: '2026-03-12T10:00:00.000Z', generation });
    expect(await md()).toContain('> **ANALYSIS IN PROGRESS: the cloud-log analysis started at 2026-03-12T10:00:00.000Z was still being committed');
    const html = (await t.mine('reports.export', { id: t.id, kind: 'incident', format: 'html', save: false })).content;
    expect(html).toContain('<div class="callout" data-testid="report-analysing"><span class="label">NOT FINAL</span>ANALYSIS IN PROGRESS');

    runs.finish(t.id, generation, '2026-03-12T10:01:00.000Z');
    expect(await md()).not.toContain('ANALYSIS IN PROGRESS');
  });
});
