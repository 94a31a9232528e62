import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ROLE_ARN, cloudTrailOf, otlpScenario } from '../helpers/agent-scenario';
import { startLoggingPostgres } from '../integration/validation/log-servers';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

/** The firebreak CLI on the app's data directory, as Dana Reyes (IR lead): each call must succeed; its output, trimmed. */
function cliOn(dataDir: string): (...args: string[]) => string {
  const env = { ...process.env, FIREBREAK_DATA_DIR: dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' };
  return (...args) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), ...args], { env, encoding: 'utf8' });
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
}

test('one timeline: cloud calls, the database’s own statements and the agent’s tool calls, with a source filter and destructive markers', async ({ page, app }) => {
  test.setTimeout(180_000);
  const work = mkdtempSync(join(tmpdir(), 'firebreak-e2e-timeline-'));
  const postgres = await startLoggingPostgres(work);
  try {
    // The agent's database session, logged by a real PostgreSQL (csvlog, log_statement=all).
    await postgres.query('CREATE TABLE orders_archive (id int PRIMARY KEY); INSERT INTO orders_archive VALUES (1), (2)');
    await postgres.query('DROP TABLE orders_archive');
    // Its trace, recorded with the OpenTelemetry SDK, and the CloudTrail export of the same calls, around that moment.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3000;
    const { json, times } = otlpScenario(t0);
    const traceFile = join(work, 'otel.json');
    const trail = join(work, 'trail.json');
    writeFileSync(traceFile, json);
    writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'e2e')));

    const firebreak = cliOn(app.dataDir);
    const id = firebreak('incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Orders database deleted', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`);
    firebreak('cloudtrail', 'import', id, trail);
    firebreak('db', 'log', 'import', id, postgres.csvlog);
    firebreak('trace', 'import', id, traceFile);

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
    const run = new RunPage(page);
    await run.openFromList(id);
    const { cloudtrail } = run;
    await cloudtrail.open();

    // All three sources on one axis, the tool call before the CloudTrail call it made.
    await expect(cloudtrail.rows('cloud')).toHaveCount(3);
    await expect(cloudtrail.rows('agent')).toHaveCount(3);
    await expect(cloudtrail.rows('database').filter({ hasText: 'DROP TABLE orders_archive' })).toHaveCount(1);
    const order = await cloudtrail.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source') + ' ' + (r.querySelector('.mono')?.textContent ?? '')));
    expect(order.indexOf('agent delete_db_instance')).toBeLessThan(order.indexOf('cloud DeleteDBInstance'));
    expect(order.findIndex((r) => r.startsWith('database DROP TABLE'))).toBeLessThan(order.indexOf('cloud DeleteDBInstance'));
    await expect(cloudtrail.rows('cloud').filter({ hasText: 'DeleteDBInstance' }).getByTestId('simultaneous')).toBeVisible();

    // The source filter: the database's own record alone, then everything again.
    await cloudtrail.showSource('database');
    await expect(cloudtrail.rows('cloud')).toHaveCount(0);
    await expect(cloudtrail.rows('agent')).toHaveCount(0);
    await expect(cloudtrail.rows('database').first()).toBeVisible();
    await cloudtrail.showSource('');
    await expect(cloudtrail.rows('agent')).toHaveCount(3);

    // Destructive only: every source's destructive entries, each marked.
    await cloudtrail.destructiveOnly();
    await expect(cloudtrail.rows('agent')).toHaveCount(2);
    await expect(cloudtrail.rows('cloud')).toHaveCount(2);
    await expect(cloudtrail.rows('database').filter({ hasText: 'DROP TABLE orders_archive' })).toHaveCount(1);
    const shown = await cloudtrail.rows().count();
    await expect(cloudtrail.timeline.root.getByTestId('destructive-marker')).toHaveCount(shown);
    await cloudtrail.destructiveOnly(false);

    // The search reads the statements and the tool calls' arguments too.
    await cloudtrail.search('orders_archive');
    await expect(cloudtrail.rows('cloud')).toHaveCount(0);
    await expect(cloudtrail.rows('agent').filter({ hasText: 'run_sql' })).toHaveCount(1);
    await expect(cloudtrail.rows('database').filter({ hasText: 'DROP TABLE orders_archive' })).toHaveCount(1);
  } finally {
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

test('opening the Cloud logs tab asks for the first page before the summary, and reads each part once however the tab is opened', async ({ page, app }) => {
  const work = mkdtempSync(join(tmpdir(), 'firebreak-e2e-timeline-reads-'));
  try {
    const trail = join(work, 'trail.json');
    writeFileSync(trail, JSON.stringify(cloudTrailOf(otlpScenario(Math.floor(Date.now() / 1000) * 1000).times, 'e2e')));
    const firebreak = cliOn(app.dataDir);
    const id = firebreak('incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Orders database deleted', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`);
    firebreak('cloudtrail', 'import', id, trail);

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
    const run = new RunPage(page);
    await run.openFromList(id);
    const asked: string[] = [];
    page.on('request', (r) => {
      const method = /\/api\/([\w.]+)$/.exec(new URL(r.url()).pathname)?.[1];
      if (method) asked.push(method);
    });
    const { cloudtrail } = run;
    await cloudtrail.open();
    await cloudtrail.activityChart.ready();
    await expect(cloudtrail.rows('cloud')).toHaveCount(3);

    // The tab's mount joins the read its click started: one first page, one facets, one chart.
    const reads = (m: string) => asked.filter((a) => a === m).length;
    expect({ page: reads('timeline.page'), facets: reads('cloudtrail.facets'), chart: reads('logs.activity'), summary: reads('cloudtrail.summary') }).toEqual({
      page: 1,
      facets: 1,
      chart: 1,
      summary: 1,
    });
    expect(asked.indexOf('timeline.page')).toBeLessThan(asked.indexOf('cloudtrail.summary'));

    // Back on the tab after another one: read again (new events may have come), still once each.
    asked.length = 0;
    await run.evidence.open();
    await cloudtrail.open();
    await cloudtrail.activityChart.ready();
    expect([reads('timeline.page'), reads('cloudtrail.facets'), reads('logs.activity')]).toEqual([1, 1, 1]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
