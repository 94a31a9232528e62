import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURE_AGENT_APPID, GCP_AGENT, azureBlobPath, azureRecords, gcpEntries, gcpSinkPath, writeJsonLines } from '../helpers/cloud-logs-corpus';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

/** An Azure agent's burst of deletes, a GCP agent's steady calls and one GCP delete, and a person's few Azure writes. */
function writeLogs(root: string): string[] {
  const t0 = Date.parse('2026-03-10T09:00:00Z');
  const azure = [];
  for (let i = 0; i < 30; i++) {
    const op = i % 6 === 5 ? 'Microsoft.Compute/disks/delete' : 'Microsoft.Compute/disks/read';
    azure.push(...azureRecords({ ms: t0 + 600_000 + i * 150, operation: op, caller: { appid: AZURE_AGENT_APPID }, correlationId: `burst-${i}` }));
  }
  for (let i = 0; i < 4; i++) azure.push(...azureRecords({ ms: t0 + i * 240_000, operation: 'Microsoft.Storage/storageAccounts/write', caller: { upn: 'ops@example.com' }, correlationId: `human-${i}` }));
  const gcp = [];
  for (let i = 0; i < 20; i++) gcp.push(...gcpEntries({ ms: t0 + i * 45_000, method: 'v1.compute.instances.list', service: 'compute.googleapis.com', principal: GCP_AGENT, insertId: `list-${i}` }));
  gcp.push(...gcpEntries({ ms: t0 + 900_500, method: 'cloudsql.instances.delete', service: 'cloudsql.googleapis.com', principal: GCP_AGENT, insertId: 'sql-del' }));
  return [writeJsonLines(azureBlobPath(root, t0), azure), writeJsonLines(gcpSinkPath(root, t0), gcp)];
}

test('Cloud logs: Azure and GCP exports imported from the tab, one chart of calls per second per identity, a cloud filter', async ({ page, app }) => {
  test.setTimeout(120_000);
  const logs = mkdtempSync(join(tmpdir(), 'firebreak-e2e-logs-'));
  try {
    writeLogs(logs);
    const made = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin', 'firebreak.js'), 'incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Disks deleted by the ops agent', '--param', `azure_agent_principal=${AZURE_AGENT_APPID}`, '--param', `gcp_agent_service_account=${GCP_AGENT}`, '--param', 'agent_role_name=no-such-role'],
      { env: { ...process.env, FIREBREAK_DATA_DIR: app.dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' }, encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const id = made.stdout.trim();

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
    const run = new RunPage(page);
    await run.openFromList(id);
    const { cloudtrail } = run;
    await cloudtrail.open();
    await expect(page.getByTestId('tab-cloudtrail')).toHaveText('Cloud logs');
    await cloudtrail.importExports([logs]);
    await expect(cloudtrail.collected).toContainText('Azure 34, GCP 21 calls in the incident');

    // One chart, all clouds on one axis: the two agents and the person, the agents' destructive calls marked.
    await cloudtrail.activityChart.ready();
    await expect(cloudtrail.activitySeries).toHaveCount(3);
    await expect(cloudtrail.seriesOf(AZURE_AGENT_APPID)).toHaveAttribute('data-cloud', 'azure');
    await expect(cloudtrail.seriesOf(GCP_AGENT)).toHaveAttribute('data-cloud', 'gcp');
    // The Azure burst's five deletes fall in a few of the chart's buckets, the GCP delete in one.
    expect(await cloudtrail.destructiveMarks.count()).toBeGreaterThanOrEqual(2);
    await expect(cloudtrail.activityLegend.first()).toContainText(/agent .* up to [3-9] per second/);
    // One card per agent that made calls; the agent value that matched nothing is said once.
    await expect(cloudtrail.blastRadiusCards).toHaveCount(2);
    await expect(cloudtrail.unmatchedAgents).toHaveText(/matched no call: no-such-role$/);

    // The cloud filter narrows the timeline and the chart to one cloud.
    await cloudtrail.showCloud('gcp');
    await expect(cloudtrail.timeline.root).toHaveAttribute('data-total', '21');
    await expect(cloudtrail.activitySeries).toHaveCount(1);
    await expect(cloudtrail.destructiveMarks).toHaveCount(1);
    await cloudtrail.showCloud('');
    await expect(cloudtrail.timeline.root).toHaveAttribute('data-total', '55');
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
});
