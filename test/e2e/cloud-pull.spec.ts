import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type GcpTestServer, externalAccountCredentials, startGcpLoggingServer } from '../helpers/gcp-logging-server';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

const PLASO = resolve(repoRoot, '..', 'shared', 'reference', 'gcp-audit', 'plaso', 'gcp_logging.jsonl');
const AGENT = 'fakeemailxyz@gmail.com';
const TOKEN = 'ya29.e2e-test-token';
let server: GcpTestServer;
let credentials: string;

// The server's process takes application default credentials from its environment, as it would on a responder's machine.
test.beforeAll(async () => {
  const entries = readFileSync(PLASO, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  server = await startGcpLoggingServer({ entries, token: TOKEN, pageSize: 3 });
  credentials = mkdtempSync(join(tmpdir(), 'firebreak-e2e-adc-'));
  process.env.GOOGLE_APPLICATION_CREDENTIALS = externalAccountCredentials(credentials, server.url);
});
test.afterAll(async () => {
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  await server.close();
  rmSync(credentials, { recursive: true, force: true });
});

test('Cloud logs: a GCP project pulled from the tab with application default credentials, its calls in the timeline', async ({ page, app }) => {
  test.setTimeout(120_000);
  const made = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin', 'firebreak.js'), 'incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'GCP pull', '--param', `gcp_agent_service_account=${AGENT}`],
    { env: { ...process.env, FIREBREAK_DATA_DIR: app.dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' }, encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  const run = new RunPage(page);
  await run.openFromList(made.stdout.trim());
  const { cloudtrail } = run;
  await cloudtrail.open();
  await cloudtrail.pullCloud({ cloud: 'gcp', scope: 'fake-project', start: '2021-10-01T00:00:00Z', end: '2021-11-01T00:00:00Z', endpoint: server.url });
  // Seven audit entries of October 2021 on pages of three.
  await expect(cloudtrail.collected).toContainText('Pulled GCP project fake-project: 3 pages kept as evidence, 7 records');
  await cloudtrail.showCloud('gcp');
  await expect(cloudtrail.events.first()).toBeVisible();
  expect(Number(await cloudtrail.timeline.root.getAttribute('data-total'))).toBeGreaterThanOrEqual(4);
  expect(server.requests.filter((q) => q.body.filter?.startsWith('logName:"cloudaudit.googleapis.com"'))).toHaveLength(3);
});
