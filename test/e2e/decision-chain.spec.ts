import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_ROLE, DATABASE, LEAKED_KEY, cloudTrailOf, otlpScenario } from '../helpers/agent-scenario';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test.use({ viewport: { width: 1440, height: 900 } });

test('Decision chain: a trace imported from the tab, then CloudTrail; the tree, the last words, a tied call and a deletion nothing explains', async ({ page, app }) => {
  test.setTimeout(120_000);
  // The agent's OpenTelemetry trace and the CloudTrail export of the same minutes, each written by its real library.
  const { json, times } = otlpScenario(Date.parse('2026-03-10T09:00:00Z'));
  const traceFile = join(app.dataDir, 'ops-agent-trace.json');
  const trail = join(app.dataDir, 'trail.json');
  writeFileSync(traceFile, json);
  writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'e2e')));
  const made = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), 'incident', 'new', '--playbook', 'agent-change-freeze-breach', '--title', 'prod-orders deleted by the ops agent', '--param', `agent_role_name=${AGENT_ROLE}`], {
    env: { ...process.env, FIREBREAK_DATA_DIR: app.dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
    encoding: 'utf8',
  });
  expect(made.status, made.stderr).toBe(0);
  const id = made.stdout.trim();

  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  const run = new RunPage(page);
  await run.openFromList(id);
  const { chain, cloudtrail } = run;
  await chain.open();
  await expect(page.getByTestId('tab-chain')).toHaveText('Decision chain');
  await expect(chain.empty).toBeVisible();
  await expect(chain.paths).toBeInViewport();

  // The trace first: its tree and the model's words, no cloud event yet to tie a call to.
  await chain.importTraces([traceFile]);
  await expect(chain.imported).toContainText('TR-000001: 1 trace file taken as evidence');
  await expect(chain.runs).toHaveCount(1);
  await expect(chain.run('ops-agent').locator('[data-testid="chain-step"][data-kind="model"]')).toHaveCount(2);
  await expect(chain.step('delete_db_instance')).toHaveAttribute('data-destructive', 'true');
  await expect(chain.lastWords).toContainText(`${DATABASE} has had no connections for 30 days, so it is unused.`);
  await expect(chain.lastWords).toContainText('[redacted AWS access key id');
  await expect(chain.root).not.toContainText(LEAKED_KEY);
  await expect(chain.correlatedOf('delete_db_instance')).toHaveCount(0);
  await expect(chain.findings.and(page.locator('[data-kind="no-human-approval"]'))).toHaveCount(1);

  // CloudTrail afterwards, from the Cloud logs tab: the chain is tied to it when read again.
  await cloudtrail.open();
  await cloudtrail.importExports([trail]);
  await chain.open();
  const tied = chain.correlatedOf('delete_db_instance');
  await expect(tied).toHaveCount(1);
  await expect(tied).toHaveAttribute('data-event-id', 'e2e-delete-db');
  await expect(tied).toHaveAttribute('data-confidence', 'high');
  await expect(tied).toContainText('because: time, operation, resource, identity');
  await expect(chain.unexplained).toHaveCount(1);
  await expect(chain.unexplained).toHaveAttribute('data-event-id', 'e2e-delete-bucket');
  await expect(chain.unexplained).toContainText('no tool call explains this');
  await expect(chain.lane('cloud')).toHaveAttribute('data-count', '3');

  // Each run folds shut and open again.
  await chain.root.getByTestId('chain-run-toggle').click();
  await expect(chain.step('delete_db_instance')).toBeHidden();
  await chain.root.getByTestId('chain-run-toggle').click();
  await expect(chain.step('delete_db_instance')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('decision-chain-1440x900.png'), fullPage: true });
});
