import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportReport } from '../../../electron/core/reports/export';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import { AGENT_ROLE, AGENT_ROLE_ARN, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { call } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { openReportsIncident } from '../../unit/reports/support';

/** pdftotext's pages (form-feed separated), without the empty tail. */
const pagesOf = (pdf: string): string[] =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim());

/** The findings table of a PDF report fits the page: one line per time, no column pushed off the page. */
describe('PDF incident report: the CloudTrail findings table', () => {
  const agent = { agent_role_name: AGENT_ROLE, agent_role_arn: AGENT_ROLE_ARN, agent_username: AGENT_ROLE, aws_account_id: '111122223333' };
  const t = perTest(() => openReportsIncident('2026-03-12T09:00:00Z', agent));

  it('prints each finding of six destructive calls with its time on one line and its event count on the page', async () => {
    const corpus = generateCorpus({ dir: join(t.dataDir, 'exports'), records: 3000, recordsPerFile: 1000, agentHighRisk: 6 });
    await call(t.core, 'cloudtrail.import', { incidentId: t.id, paths: corpus.files });
    const ctx = t.core.context;
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id: t.id, kind: 'incident', format: 'pdf', save: false });
    const file = join(t.dataDir, 'incident.pdf');
    writeFileSync(file, r.bytes);
    const pages = pagesOf(file);
    const text = pages.join('\n');
    const section = text.slice(text.indexOf('CloudTrail findings'), text.indexOf('Validation results'));
    const rows = [...section.matchAll(/^.*\s{2,}(critical|high|medium|low)\s{2,}.*$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(6);
    // A time broken over three lines ("2026-" / "03-10" / "00:02:25") is what made eight-line cells.
    expect(section).not.toMatch(/^\s*\S*\s+\d{4}-\s*$/m);
    for (const row of rows) expect(row[0], 'the finding row has its time and its event count on its first line').toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+\s*$/);
  }, 120_000);
});
