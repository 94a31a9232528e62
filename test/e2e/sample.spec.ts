import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

const shots = join(repoRoot, 'docs', 'screenshots');
const shot = (name: string) => join(shots, name);

test('first run: the sample incident end to end, from an empty data directory to a bundle that verifies', async ({ page, app }) => {
  test.setTimeout(180_000);
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  await expect(list.empty).toBeVisible();
  await page.screenshot({ path: shot('01-empty.png') });

  // Open the sample incident.
  await page.getByTestId('open-sample').click();
  const run = new RunPage(page);
  await run.screen.waitFor({ timeout: 60_000 });
  await expect(page.getByTestId('sample-banner')).toContainText('SAMPLE incident');
  await page.screenshot({ path: shot('02-sample-run.png') });

  // CloudTrail: the recorded logs are imported and analysed; the agent identity's destructive calls are findings.
  await run.tab('cloudtrail');
  await expect(page.getByTestId('cloudtrail-summary')).toContainText('events from');
  await expect(page.locator('[data-testid="finding"][data-kind="high-risk"]').first()).toBeVisible();
  await expect(page.getByTestId('cadence-verdict').first()).not.toBeEmpty();
  await page.getByTestId('filter-highRiskOnly').check();
  await page.getByTestId('event-row').first().click();
  await expect(page.getByTestId('event-detail')).toBeVisible();
  await page.screenshot({ path: shot('03-cloudtrail.png'), fullPage: false });

  // Validation: a real mismatch, then the backup is restored and the comparison matches.
  await run.tab('validation');
  await page.getByTestId('validation-action').selectOption('compare');
  await expect(page.getByTestId('validation-url')).toHaveValue(/chinook-production\.sqlite$/);
  await page.getByTestId('validation-start').click();
  await expect(page.getByTestId('validation-result')).toHaveAttribute('data-verdict', 'mismatch');
  await expect(page.locator('[data-testid="compare-row"][data-status="count-mismatch"]')).toContainText('-120');
  await page.getByTestId('validation-result').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: shot('04-validation-mismatch.png') });
  await page.getByTestId('sample-restore').click();
  await expect(page.getByTestId('sample-message')).toContainText('full backup is back');
  await run.tab('validation');
  await page.getByTestId('validation-action').selectOption('compare');
  await page.getByTestId('validation-start').click();
  await expect(page.getByTestId('validation-result')).toHaveAttribute('data-verdict', 'match');
  await page.screenshot({ path: shot('05-validation-match.png') });

  // Gap analysis: partly filled by the sample; assess one more control.
  await run.tab('gap');
  const cm3 = page.locator('[data-testid="gap-control"][data-control="cm-3"]');
  await cm3.getByTestId('gap-state').selectOption('not-implemented');
  await cm3.getByTestId('gap-text').fill('Agent deployments skipped the change board; no record of the permission change.');
  await cm3.getByTestId('gap-owner').fill('Change manager');
  await cm3.getByTestId('gap-save').click();
  await expect(cm3).toHaveAttribute('data-state', 'not-implemented');
  await page.screenshot({ path: shot('06-gap-analysis.png') });

  // Sign-off: evidence behind each attestation, then every signer.
  await run.tab('signoff');
  const step = page.locator('[data-testid="signoff-step"][data-step-id="reinstatement-sign-off"]');
  for (const attestation of ['data-restored-and-validated', 'policy-peer-reviewed', 'destructive-call-alerting-tested']) {
    const a = step.locator(`[data-testid="attestation"][data-attestation-id="${attestation}"]`);
    await a.getByTestId('attestation-evidence').selectOption({ index: 1 });
    await a.getByTestId('attestation-link').click();
    await expect(a.locator('.mono').first()).toBeVisible();
  }
  await expect(step.getByTestId('signoff-gate')).toHaveAttribute('data-gate', 'met');
  for (const [role, name] of [
    ['IR lead', 'Dana Reyes'],
    ['CISO', 'Morgan Lee'],
    ['Legal', 'Priya Nair'],
  ] as const) {
    const signer = step.locator(`[data-testid="signer"][data-role="${role}"]`);
    await signer.getByTestId('signer-name').fill(name);
    await signer.getByTestId('signer-sign').click();
    await expect(step.locator(`[data-testid="signer"][data-role="${role}"]`)).toHaveAttribute('data-signed', 'true');
  }
  await expect(step).toHaveAttribute('data-complete', 'true');
  await page.screenshot({ path: shot('07-signoff.png') });

  // Reports: the preview, then the case bundle, verified in the app and by the CLI.
  await run.tab('reports');
  await expect(page.getByTestId('report-preview')).toBeVisible();
  await expect(page.frameLocator('[data-testid="report-preview"]').getByText('SAMPLE').first()).toBeVisible();
  await page.screenshot({ path: shot('08-report-preview.png') });
  await page.getByTestId('bundle-full').click();
  await expect(page.getByTestId('bundle-result')).toBeVisible({ timeout: 90_000 });
  const bundlePath = (await page.getByTestId('bundle-result').locator('.mono').first().textContent()) ?? '';
  expect(bundlePath).toMatch(/\.zip$/);
  await page.getByTestId('bundle-verify').click();
  await expect(page.getByTestId('bundle-verification')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('bundle-fingerprints')).toContainText('exporter Dana Reyes (IR lead): SHA256:');
  await expect(page.getByTestId('bundle-fingerprints')).toContainText('Morgan Lee (CISO): SHA256:');
  await page.screenshot({ path: shot('09-bundle-verified.png') });

  const verify = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), 'verify', bundlePath], { encoding: 'utf8' });
  expect(verify.stderr).toBe('');
  expect(verify.status).toBe(0);
});
