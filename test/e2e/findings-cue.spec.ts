import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test.use({ viewport: { width: 1440, height: 900 } });

test('the findings list says how many findings are out of sight and stops saying it once the last one is in view', async ({ page, app }) => {
  test.setTimeout(120_000);
  await new IncidentsPage(page).openSampleAsLead(app.url);
  const run = new RunPage(page);
  await run.screen.waitFor();
  const { cloudtrail } = run;
  await cloudtrail.open();
  await expect(cloudtrail.findings.first()).toBeVisible();
  const total = await cloudtrail.findings.count();
  const box = cloudtrail.findingsScroll;
  const cut = await box.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(cut, `the sample's ${total} findings fit the box, so there is nothing to cue`).toBe(true);
  const hidden = Number(await box.getAttribute('data-hidden'));
  expect(hidden).toBeGreaterThan(0);
  expect(hidden).toBeLessThan(total);
  await expect(cloudtrail.findingsCue).toBeVisible();
  await cloudtrail.findingsCard.screenshot({ path: test.info().outputPath('findings-cue.png') });
  await expect(cloudtrail.findingsCue).toHaveText(new RegExp(`^↓ ${hidden} more findings? below`));
  await box.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(box).toHaveAttribute('data-hidden', '0');
  await expect(cloudtrail.findingsCue).toHaveCount(0);
  await expect(cloudtrail.findings.last()).toBeInViewport();
});
