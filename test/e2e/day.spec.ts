import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import type { IncidentTab } from './pages/panel';
import { RunPage } from './pages/run-page';

const TABS: IncidentTab[] = ['run', 'evidence', 'cloudtrail', 'validation', 'gap', 'signoff', 'reports', 'parameters', 'activity', 'identity', 'chain'];

test.use({ viewport: { width: 1440, height: 900 } });

test('at 1440x900 the first step of every tab of the sample incident is in sight without scrolling, banners folded after their first view', async ({ page, app }) => {
  test.setTimeout(120_000);
  await new IncidentsPage(page).openSampleAsLead(app.url);
  const run = new RunPage(page);
  await run.screen.waitFor();
  // Regulated data: an escalation and three notification clocks, shown in full the first time.
  await run.selectPhase('detection-analysis');
  await run.answer('regulated-data-decision', ['personal-data', 'financial-data']);
  await expect(run.escalations).toHaveAttribute('data-open', 'true');
  await expect(run.clocks).toHaveCount(3);
  for (const tab of [...TABS.slice(1), 'run' as const]) {
    await run.tab(tab);
    const first = run.firstStepOf(tab);
    await first.waitFor();
    expect(await page.evaluate(() => window.scrollY), `${tab}: the page opened scrolled`).toBe(0);
    await expect(first, `${tab}: its first step is below the fold`).toBeInViewport();
  }
  // Seen once, the banners are one line each from then on, also after a reload; a click opens one again.
  await page.reload();
  await run.screen.waitFor();
  for (const banner of [run.escalations, run.clocksBanner]) {
    await expect(banner).toHaveAttribute('data-open', 'false');
    expect((await banner.boundingBox())?.height ?? 0).toBeLessThan(60);
  }
  await expect(run.escalations).toContainText('Escalate now to CISO and Legal');
  await run.clocksSummary.click();
  await expect(run.clocksBanner).toHaveAttribute('data-open', 'true');
  await run.clocksSummary.click();
  await page.screenshot({ path: test.info().outputPath('sample-1440x900.png') });
});

test('awareness is asked when an incident opens, shown as ASSUMED until someone confirms it', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  await list.startNewIncident();
  await expect(list.awareAt).not.toHaveValue('');
  await expect(list.awareConfirmed).not.toBeChecked();
  await list.create();
  const run = new RunPage(page);
  await run.screen.waitFor();
  await expect(run.awareness).toHaveAttribute('data-assumed', 'true');
  await expect(run.awareness).toContainText('ASSUMED');
  await run.confirmAwareness.click();
  await expect(run.awareness).toHaveAttribute('data-assumed', 'false');
  await expect(run.standing).toHaveText('open');
});
