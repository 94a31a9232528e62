import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('first run: the sample incident end to end, from an empty data directory to a bundle that verifies', async ({ page, app }) => {
  test.setTimeout(180_000);
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');
  await expect(list.empty).toBeVisible();

  // Open the sample incident.
  await list.openSample();
  const run = new RunPage(page);
  await expect(run.sampleBanner).toContainText('SAMPLE incident');

  // CloudTrail: the recorded logs are imported and analysed; the agent identity's destructive calls are findings.
  const { cloudtrail, validation, gap, signoff, reports } = run;
  await cloudtrail.open();
  await expect(cloudtrail.summary).toContainText('events from');
  await expect(cloudtrail.findingsOf('high-risk').first()).toBeVisible();
  await expect(cloudtrail.cadenceVerdicts.first()).not.toBeEmpty();
  await cloudtrail.highRiskOnly();
  await cloudtrail.openFirstEvent();
  await expect(cloudtrail.eventDetail).toBeVisible();

  // Validation: a real mismatch, then the backup is restored and the comparison matches.
  await validation.open();
  await validation.choose('compare');
  await expect(validation.url).toHaveValue(/chinook-production\.sqlite$/);
  await validation.run();
  await expect(validation.result).toHaveAttribute('data-verdict', 'mismatch');
  await expect(validation.compareRowsWith('count-mismatch')).toContainText('-120');
  await run.restoreSampleBackup();
  await expect(run.sampleMessage).toContainText('full backup is back');
  await validation.open();
  await validation.choose('compare');
  await validation.run();
  await expect(validation.result).toHaveAttribute('data-verdict', 'match');

  // Gap analysis: partly filled by the sample; assess one more control.
  await gap.open();
  await gap.assess('cm-3', { state: 'not-implemented', gap: 'Agent deployments skipped the change board; no record of the permission change.', owner: 'Change manager' });
  await expect(gap.control('cm-3')).toHaveAttribute('data-state', 'not-implemented');

  // Sign-off: evidence behind each attestation, then the sample's fictional signers, each with a key of their own.
  await signoff.open();
  const step = 'reinstatement-sign-off';
  for (const attestation of ['data-restored-and-validated', 'policy-peer-reviewed', 'destructive-call-alerting-tested']) {
    await signoff.linkEvidence(step, attestation, 'SAMPLE-iam-snapshot');
  }
  await expect(signoff.gate(step)).toHaveAttribute('data-gate', 'met');
  await signoff.signSample(step);
  await expect(signoff.step(step)).toHaveAttribute('data-complete', 'true');
  await expect(signoff.signed(step, 'CISO').getByTestId('signer-fingerprint')).toContainText('own key SHA256:');

  // Reports: the preview, then the case bundle, verified in the app and by the CLI.
  await reports.open();
  await expect(reports.preview).toBeVisible();
  await expect(reports.previewText('SAMPLE')).toBeVisible();
  const bundlePath = await reports.buildBundle();
  expect(bundlePath).toMatch(/\.zip$/);
  await reports.verifyBundle();
  await expect(reports.verification).toHaveAttribute('data-ok', 'true');
  await expect(reports.fingerprints).toContainText('exporter Dana Reyes (IR lead): SHA256:');
  await expect(reports.fingerprints).toContainText('Morgan Lee (CISO): SHA256:');

  const verify = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), 'verify', bundlePath], { encoding: 'utf8' });
  expect(verify.stderr).toBe('');
  expect(verify.status).toBe(0);
});
