import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportReport } from '../../../electron/core/reports/export';
import { chromiumPdf } from '../../../electron/core/reports/pdf';
import { AZURE_AGENT_APPID, GCP_AGENT, azureBlobPath, azureRecords, gcpEntries, gcpSinkPath, writeJsonLines } from '../../helpers/cloud-logs-corpus';
import { call } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { type ReportsCore, newIncident, reportsCore } from '../../unit/reports/support';

/** The agent's colour in the chart (the first series: agents come first). */
const AGENT_RGB = [0xc0, 0x39, 0x2b];

/** Pixels of a colour (within a tolerance) in a binary PPM (P6) image, as pdftoppm writes it by default. */
function pixelsOf(ppm: Buffer, rgb: number[]): number {
  const header = ppm.toString('latin1', 0, 64).match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a binary PPM');
  let n = 0;
  for (let i = header[0].length; i + 2 < ppm.length; i += 3) {
    if (Math.abs((ppm[i] as number) - (rgb[0] as number)) < 24 && Math.abs((ppm[i + 1] as number) - (rgb[1] as number)) < 24 && Math.abs((ppm[i + 2] as number) - (rgb[2] as number)) < 24) n++;
  }
  return n;
}

describe('the activity chart in the incident report', () => {
  let dir: ReturnType<typeof tempDir>;
  let rc: ReportsCore;
  let id: string;

  beforeAll(async () => {
    dir = tempDir('firebreak-clouds2-report-chart-');
    rc = reportsCore(join(dir.path, 'data'));
    id = await newIncident(rc.core, { azure_agent_principal: AZURE_AGENT_APPID, gcp_agent_service_account: GCP_AGENT });
    const t0 = Date.parse('2026-03-10T09:00:00Z');
    const azure = Array.from({ length: 24 }, (_, i) =>
      azureRecords({ ms: t0 + 300_000 + i * 120, operation: i % 4 === 3 ? 'Microsoft.Compute/disks/delete' : 'Microsoft.Compute/disks/read', caller: { appid: AZURE_AGENT_APPID }, correlationId: `c-${i}` }),
    ).flat();
    const gcp = Array.from({ length: 12 }, (_, i) => gcpEntries({ ms: t0 + i * 60_000, method: 'v1.compute.instances.list', service: 'compute.googleapis.com', principal: GCP_AGENT, insertId: `l-${i}` })).flat();
    await call(rc.core, 'logs.import', { incidentId: id, paths: [writeJsonLines(azureBlobPath(join(dir.path, 'logs'), t0), azure), writeJsonLines(gcpSinkPath(join(dir.path, 'logs'), t0), gcp)] });
  }, 60_000);
  afterAll(() => {
    rc.close();
    dir.cleanup();
  });

  it('draws each identity and marks the destructive calls in the HTML', async () => {
    const ctx = rc.core.context;
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id, kind: 'incident', format: 'html', save: false });
    const html = r.bytes.toString('utf8');
    const figure = html.slice(html.indexOf('<figure class="activity-chart"'), html.indexOf('</figure>'));
    expect(figure).toContain(`agent ${AZURE_AGENT_APPID} (Azure): 24 calls, up to`);
    expect(figure).toContain(`agent ${GCP_AGENT} (GCP): 12 calls, up to 1/s`);
    expect(figure.match(/<path /g)).toHaveLength(2);
    expect((figure.match(/<circle /g) ?? []).length).toBeGreaterThan(0);
    expect(figure).toContain('destructive call');
  });

  it('prints the chart into the PDF as drawn lines in the agent colour', async () => {
    const ctx = rc.core.context;
    const r = await exportReport(ctx, { pdf: () => chromiumPdf() }, ctx.human(), { id, kind: 'incident', format: 'pdf', save: false });
    const pdf = join(dir.path, 'incident.pdf');
    writeFileSync(pdf, r.bytes);
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    const page = pages.findIndex((p) => p.includes('Activity per identity')) + 1;
    expect(page).toBeGreaterThan(0);
    execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '60', pdf, join(dir.path, 'chart')]);
    const image = execFileSync('sh', ['-c', `ls ${join(dir.path, 'chart')}*.ppm`], { encoding: 'utf8' }).trim();
    expect(pixelsOf(readFileSync(image), AGENT_RGB)).toBeGreaterThan(20);
  });
});
