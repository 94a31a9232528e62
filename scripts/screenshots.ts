/**
 * `npm run screenshots`: every screenshot the README and the user guide show, taken from the built UI as
 * `firebreak serve` serves it, on a data directory of its own, by walking the sample incident as a responder would.
 * The specs assert; this script only looks. It runs Debian's Chromium (FIREBREAK_CHROMIUM for another) and needs
 * pdftoppm (poppler-utils) for the page of the PDF report, and the PostgreSQL server binaries (initdb, pg_ctl) for the
 * database log of the agent's incident (scripts/screenshots-agent.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumArgs } from '../playwright.config';
import { DesktopBridge } from '../test/e2e/pages/desktop-bridge';
import { IncidentsPage } from '../test/e2e/pages/incidents-page';
import { RunPage } from '../test/e2e/pages/run-page';
import { repoRoot, serve, type ServedApp } from '../test/e2e/serve';
import { walkAgentIncident } from './screenshots-agent';

const shots = join(repoRoot, 'docs', 'screenshots');
const viewport = { width: 1440, height: 900 };
const chromiumPath = process.env.FIREBREAK_CHROMIUM ?? '/usr/bin/chromium';

/** Fails before any work with what is missing and how to get it. */
function checkTools(): void {
  const missing: string[] = [];
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) missing.push('the built UI (dist/renderer): run npm run build:renderer');
  if (!existsSync(chromiumPath)) missing.push(`Chromium at ${chromiumPath}: apt-get install chromium, or set FIREBREAK_CHROMIUM`);
  if (!existsSync('/usr/lib/postgresql')) missing.push('the PostgreSQL server binaries (/usr/lib/postgresql/*/bin): apt-get install postgresql');
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
  } catch {
    missing.push('pdftoppm: apt-get install poppler-utils');
  }
  if (missing.length) throw new Error(`npm run screenshots needs:\n  ${missing.join('\n  ')}`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, name) });
  console.log(`docs/screenshots/${name}`);
}

/** The sample incident from the first start to a verified bundle, then the run screen's gates and clocks. */
async function walkSample(page: Page, app: ServedApp, browser: Browser): Promise<void> {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  await shot(page, '01-empty.png');

  const id = await list.openSample();
  const run = new RunPage(page);
  await shot(page, '02-sample-run.png');
  await desktopValidation(browser, app, id);

  const { evidence, cloudtrail, validation, gap, signoff, reports } = run;
  await evidence.open();
  await evidence.verifyAll();
  await evidence.showCustody('SAMPLE-iam-snapshot');
  await shot(page, 'evidence.png');

  await cloudtrail.open();
  await cloudtrail.bringIntoView(cloudtrail.findingsCard, 'start');
  await shot(page, '03-cloudtrail.png');

  // The compare finds the 120 missing rows; after the restore it matches.
  for (const [verdict, name] of [
    ['mismatch', '04-validation-mismatch.png'],
    ['match', '05-validation-match.png'],
  ] as const) {
    if (verdict === 'match') await run.restoreSampleBackup();
    await validation.open();
    await validation.choose('compare');
    await validation.run();
    await validation.verdict(verdict);
    await validation.bringIntoView(validation.result);
    await shot(page, name);
  }
  // The banner's note about the restore names a temporary path; the later pictures are better without it.
  await run.reload();

  await gap.open();
  await gap.assess('cm-3', { state: 'not-implemented', gap: 'Agent deployments skipped the change board; no record of the permission change.', owner: 'Change manager' });
  await gap.bringIntoView(gap.control('cm-3'));
  await shot(page, '06-gap-analysis.png');

  await signoff.open();
  const step = 'reinstatement-sign-off';
  // Each attestation backed by the evidence that speaks for it: the matching compare, the IAM state, the trail.
  await signoff.linkEvidence(step, 'data-restored-and-validated', 'compare-VR-000003');
  await signoff.linkEvidence(step, 'policy-peer-reviewed', 'SAMPLE-iam-snapshot');
  await signoff.linkEvidence(step, 'destructive-call-alerting-tested', '_CloudTrail_');
  await signoff.signSample(step);
  await signoff.bringIntoView(signoff.step(step), 'start');
  await shot(page, '07-signoff.png');

  await reports.open();
  await reports.previewText('SAMPLE').waitFor();
  await shot(page, '08-report-preview.png');
  await reportPage(await reports.export('pdf').then((d) => d.path()));
  await reports.buildBundle();
  await reports.verifyBundle();
  await reports.bringIntoView(reports.verification);
  await shot(page, '09-bundle-verified.png');

  // Containment completed; these change the run screen, so they come after the tabs.
  await run.tab('run');
  await run.selectPhase('containment');
  // The evidence and CloudTrail steps are done by their records (the sample's import, the evidence linked here), not ticked.
  for (const s of ['revoke-excess-permissions', 'suspend-unreviewed-agents']) await run.markDone(s);
  await run.linkCollected('audit-log-30d', '_CloudTrail_');
  await run.gateIs('met');
  await run.bringIntoView(run.gate);
  await shot(page, 'run-containment.png');
  await run.closePhase();
  await run.phaseIs('containment', 'closed');

  await run.selectPhase('detection-analysis');
  await run.closePhaseRefused();
  await run.bringIntoView(run.gate);
  await shot(page, 'gate-blocked.png');

  // Last: the escalation and the clocks sit on top of every tab from now on.
  await run.answer('regulated-data-decision', ['personal-data', 'financial-data']);
  await run.clocks.first().waitFor();
  await run.bringIntoView(run.escalations);
  await shot(page, 'clocks.png');
}

/** The validation wizard as the desktop app shows it, a SQLite file chosen in the OS dialog. */
async function desktopValidation(browser: Browser, app: ServedApp, incidentId: string): Promise<void> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const desktop = new DesktopBridge(page);
    await desktop.open(app, `#/incidents/${incidentId}`);
    const { validation } = new RunPage(page);
    await validation.open();
    await desktop.willChoose('sqlite', [join(repoRoot, 'resources', 'sample', 'chinook.sqlite')]);
    await validation.browseSqlite();
    await validation.root.screenshot({ path: join(shots, 'desktop-validation-dialogs.png') });
    console.log('docs/screenshots/desktop-validation-dialogs.png');
  } finally {
    await context.close();
  }
}

/** The README's picture of the PDF: its first page, as pdftoppm renders it. */
async function reportPage(pdf: string): Promise<void> {
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(shots, 'report-page-1')]);
  console.log('docs/screenshots/report-page-1.png');
}

async function main(): Promise<void> {
  checkTools();
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-screenshots-'));
  const app = await serve(dataDir);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    await walkSample(await context.newPage(), app, browser);
    // A second incident: the sample has no agent trace and no database log for the Decision chain and the timeline.
    await walkAgentIncident(browser, app, viewport, shot);
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
