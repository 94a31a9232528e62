import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportReport } from '../../../electron/core/reports/export';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import type { SignOffRecord } from '../../../electron/shared/signoff';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, backAttestations, newIncident, recordCompare, reportsCore } from '../../unit/reports/support';

/** pdftotext's pages (form-feed separated), without the empty tail. */
const pagesOf = (pdf: string): string[] =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim());

describe('PDF reports', () => {
  let dir: ReturnType<typeof tempDir>;
  let rc: ReportsCore;
  let id: string;
  const signed: SignOffRecord[] = [];

  beforeAll(async () => {
    dir = tempDir();
    const now = new Date('2026-05-12T14:00:00Z');
    rc = reportsCore(dir.path, { now: () => now });
    id = await newIncident(rc.core);
    await rc.mine('gap.assess', { id, controlId: 'AC-2', state: 'partially-implemented', gap: 'Agent service accounts had no owner and were never reviewed.', owner: 'IAM team', dueDate: '2026-06-15' });
    await rc.mine('gap.assess', { id, controlId: 'AC-6', state: 'not-implemented', gap: 'The agent role held s3:* and rds:* on production.', owner: 'Cloud platform lead', dueDate: '2026-05-31' });
    await rc.mine('gap.assess', { id, controlId: 'CM-3', state: 'not-implemented', gap: 'Agent deployments bypassed the change review board.', owner: 'Change manager', dueDate: '2026-06-30' });
    await rc.mine('gap.assess', { id, controlId: 'SI-12', state: 'implemented' });
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    signed.push(await rc.sign({ id, role: 'IR lead', name: 'Dana Reyes' }));
    signed.push(await rc.sign({ id, role: 'CISO', name: 'Morgan Lee' }));
  }, 60_000);
  afterAll(() => {
    rc.close();
    dir.cleanup();
  });

  it('carries the control ids, the hashes and the sign-offs; every page has incident, TLP, page x of y and content hash', async () => {
    const ctx = rc.core.context;
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id, kind: 'incident', format: 'pdf', save: true });
    expect(r.encoding).toBe('base64');
    expect(r.evidenceId).toMatch(/^EV-/);
    const file = join(dir.path, 'incident.pdf');
    writeFileSync(file, r.bytes);
    const pages = pagesOf(file);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(id);
      expect(page).toContain('TLP:AMBER+STRICT');
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain(`Content SHA-256 ${r.contentSha256}`);
    });
    const text = pages.join('\n');
    for (const control of ['AC-2', 'AC-6', 'CM-3', 'SI-12']) expect(text).toContain(control);
    for (const s of signed) {
      expect(text).toContain(`${s.name}, ${s.role}`);
      // Long hashes wrap inside table cells: compare with whitespace removed.
      expect(text.replace(/\s+/g, '')).toContain(s.reportSha256);
      expect(text.replace(/\s+/g, '')).toContain(s.fingerprint);
    }
    expect(text).toContain('Legal has not signed');
  });

  it('says SAMPLE on every page of a sample incident', async () => {
    const ctx = rc.core.context;
    ctx.db.prepare('UPDATE incidents SET sample = 1 WHERE id = ?').run(id);
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id, kind: 'gap', format: 'pdf', tlp: 'TLP:GREEN', save: false });
    const file = join(dir.path, 'gap.pdf');
    writeFileSync(file, r.bytes);
    const pages = pagesOf(file);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) {
      expect(page).toContain('SAMPLE');
      expect(page).toContain('TLP:GREEN');
    }
    expect(pages.join('\n')).toContain('Assessment objectives (SP 800-53A Rev. 5)');
  });
});
