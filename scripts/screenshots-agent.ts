/**
 * The screenshots of an agent's incident told by three records, as test/e2e/decision-chain.spec.ts and
 * test/e2e/timeline.spec.ts tell it: the agent's OpenTelemetry trace (recorded by the SDK), the CloudTrail export of the
 * same calls, and the statement log of a real PostgreSQL the agent's SQL ran on. The sample incident has no trace and
 * no database log, so this is a second incident, opened and fed through the CLI as a responder would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AGENT_ROLE_ARN, cloudTrailOf, otlpScenario } from '../test/helpers/agent-scenario';
import { IncidentsPage } from '../test/e2e/pages/incidents-page';
import { RunPage } from '../test/e2e/pages/run-page';
import { repoRoot, type ServedApp } from '../test/e2e/serve';

export type Shot = (page: Page, name: string) => Promise<void>;

/** Runs the CLI on the served data directory; a failure stops the screenshots with the command and its stderr. */
function firebreak(dataDir: string, ...args: string[]): string {
  const env = { ...process.env, FIREBREAK_DATA_DIR: dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' };
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`firebreak ${args.join(' ')} exited with ${String(r.status)}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Opens the incident with its three records; returns its id. The PostgreSQL cluster lives only while its log is read. */
async function agentIncident(dataDir: string): Promise<string> {
  // Loaded here: the module looks for PostgreSQL's binaries as it loads, after checkTools has said whether they exist.
  const { startLoggingPostgres } = await import('../test/integration/validation/log-servers');
  const work = mkdtempSync(join(tmpdir(), 'firebreak-screenshots-agent-'));
  const postgres = await startLoggingPostgres(work);
  try {
    // The agent's database session, logged by PostgreSQL itself (csvlog, log_statement=all).
    await postgres.query('CREATE TABLE orders_archive (id int PRIMARY KEY); INSERT INTO orders_archive VALUES (1), (2)');
    await postgres.query('DROP TABLE orders_archive');
    // The trace and the CloudTrail export around that moment, so the three records share one time axis.
    const { json, times } = otlpScenario(Math.floor(Date.now() / 1000) * 1000 - 3000);
    const traceFile = join(work, 'ops-agent-trace.json');
    const trail = join(work, 'trail.json');
    writeFileSync(traceFile, json);
    writeFileSync(trail, JSON.stringify(cloudTrailOf(times, 'shot')));
    const id = firebreak(dataDir, 'incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'prod-orders deleted by the ops agent', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`);
    firebreak(dataDir, 'cloudtrail', 'import', id, trail);
    firebreak(dataDir, 'db', 'log', 'import', id, postgres.csvlog);
    firebreak(dataDir, 'trace', 'import', id, traceFile);
    return id;
  } finally {
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** 10: the Decision chain tab; 11: the Cloud logs tab's one timeline of cloud calls, statements and tool calls. */
export async function walkAgentIncident(browser: Browser, app: ServedApp, viewport: { width: number; height: number }, shot: Shot): Promise<void> {
  const id = await agentIncident(app.dataDir);
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const list = new IncidentsPage(page);
    await list.open(app.url);
    // The data directory remembers who is working once the sample's walk has said it; a fresh one asks.
    if (await page.getByTestId('operator-name').isVisible()) await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
    else await list.screen.waitFor();
    const run = new RunPage(page);
    await run.openFromList(id);

    const { chain, cloudtrail } = run;
    await chain.open();
    // The deletion nothing in the trace explains is the last thing the tab reads; the tied call comes with the tree.
    await chain.unexplained.first().waitFor();
    await chain.correlatedOf('delete_db_instance').first().waitFor();
    // From the last words down: the findings, the unexplained deletion and the tree with its tied cloud calls.
    await chain.bringIntoView(chain.root.getByTestId('chain-last-words-card'), 'start');
    await shot(page, '10-decision-chain.png');

    await cloudtrail.open();
    await cloudtrail.rows('database').first().waitFor();
    await cloudtrail.rows('agent').first().waitFor();
    await cloudtrail.bringIntoView(cloudtrail.timeline.root, 'start');
    await shot(page, '11-timeline-sources.png');
  } finally {
    await context.close();
  }
}
