import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportReport } from '../../../electron/core/reports/export';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import { perTest } from '../../helpers/incident';
import { importSixDestructiveCalls, openAgentIncident } from '../../unit/reports/agent-incident';

/** pdftotext's pages (form-feed separated), without the empty tail. */
const pagesOf = (pdf: string): string[] =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim());

/** The findings table of a PDF report fits the page: one line per time, no column pushed off the page. */
describe('PDF incident report: the CloudTrail findings table', () => {
  const t = perTest(openAgentIncident);

  it('prints each finding of six destructive calls with its time on one line and its event count on the page', async () => {
    await importSixDestructiveCalls(t);
    const ctx = t.core.context;
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id: t.id, kind: 'incident', format: 'pdf', save: false });
    const file = join(t.dataDir, 'incident.pdf');
    writeFileSync(file, r.bytes);
    const pages = pagesOf(file);
    const text = pages.join('\n');
    const section = text.slice(text.indexOf('Cloud log findings'), text.indexOf('Validation results'));
    const rows = [...section.matchAll(/^.*\s{2,}(critical|high|medium|low)\s{2,}.*$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(6);
    // A time broken over three lines ("2026-" / "03-10" / "00:02:25") is what made eight-line cells.
    expect(section).not.toMatch(/^\s*\S*\s+\d{4}-\s*$/m);
    for (const row of rows) expect(row[0], 'the finding row has its time and its event count on its first line').toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+\s*$/);
  }, 120_000);
});
