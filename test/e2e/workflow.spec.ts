import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('guided run: parameters, Containment completed, the gate blocks Detection & Analysis, override recorded, all kept after reload', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  const id = await list.startIncident({ playbook: 'agent-destructive-action', title: 'Deploy agent dropped the orders database' });
  const run = new RunPage(page);

  // Parameters, validated by type before they are saved.
  await run.tab('parameters');
  await run.setParam('agent_role_arn', 'deploy-agent');
  await expect(run.paramProblem('agent_role_arn')).toContainText('This value is not an ARN');
  await run.setParam('agent_role_arn', 'arn:aws:iam::123456789012:role/deploy-agent');
  await run.setParam('agent_role_name', 'deploy-agent');
  await run.setParam('aws_account_id', '123456789012');
  await run.saveParams();

  // Containment: every required step, the backup decision, and the three required artifacts.
  await run.tab('run');
  await expect(run.phase('containment')).toHaveAttribute('data-status', 'open');
  await expect(run.command('enumerate-aws-agent-roles')).toContainText("contains(RoleName, `agent`)");
  for (const step of ['inventory-production-agents', 'revoke-excess-permissions', 'suspend-unreviewed-agents']) {
    await run.markDone(step);
  }
  // Steps a record completes offer no tick: they say what they wait for and how to complete it.
  for (const step of ['snapshot-iam-state', 'pull-agent-activity-30d']) await expect(run.doneButton(step)).toHaveCount(0);
  await expect(run.proof('pull-agent-activity-30d')).toHaveAttribute('data-met', 'false');
  await expect(run.proof('pull-agent-activity-30d')).toContainText('Waiting for a CloudTrail log collection. To complete it: import or pull the logs');
  await run.markNotApplicable('disable-ad-account', 'No Active Directory in this estate');
  await run.writeNote('revoke-excess-permissions', 'Removed `dynamodb:DeleteTable` and `rds:DeleteDBInstance` from **deploy-agent**.');
  await expect(run.step('protect-backups')).toHaveCount(0);
  await run.answer('backup-access-decision', ['backups-isolated']);
  for (const [artifact, file] of [
    ['iam-policy-snapshot', 'deploy-agent-policies.json'],
    ['credential-report', 'credential_report.csv'],
    ['audit-log-30d', 'cloudtrail-30d.json'],
  ] as const) {
    await run.attach(artifact, { name: file, mimeType: 'application/octet-stream', buffer: Buffer.from(`${file} contents for ${id}\n`) });
    await expect(run.attached(artifact)).toContainText(file);
  }
  // The evidence step is done once its artifacts are attached; the CloudTrail step once the logs are imported.
  await expect(run.step('snapshot-iam-state')).toHaveAttribute('data-status', 'done');
  await expect(run.proof('snapshot-iam-state')).toContainText('Done: completed by EV-');
  await run.cloudtrail.open();
  await run.cloudtrail.importExports([join(repoRoot, 'resources', 'sample', 'cloudtrail')]);
  await run.tab('run');
  await expect(run.step('pull-agent-activity-30d')).toHaveAttribute('data-status', 'done');
  await expect(run.proof('pull-agent-activity-30d')).toHaveAttribute('data-met', 'true');
  await expect(run.gate).toHaveAttribute('data-gate', 'met');
  await run.closePhase();
  await expect(run.phase('containment')).toHaveAttribute('data-status', 'closed');
  // The close is pinned by a checkpoint; this operator has no key of their own, so it is recorded unsigned and says why.
  await expect(run.checkpointNote).toHaveAttribute('data-phase', 'containment');
  await expect(run.checkpointNote).toContainText(/Containment closed\. Checkpoint CP-\d{6} pins .* \(not signed\)/);
  await expect(run.checkpointNote).toContainText('firebreak keys init');

  // Detection & Analysis: the gate names what is missing and refuses to close.
  await run.selectPhase('detection-analysis');
  await expect(run.gateMissing).toContainText('Evidence: Raw cloud audit logs');
  // A missing step's link goes to the step, and the incident stays open.
  // The CloudTrail import above completed the analysis step too; the checklist steps are still to do.
  await expect(run.step('analyse-agent-activity')).toHaveAttribute('data-status', 'done');
  await run.followMissingStep('confirm-logging-coverage');
  await expect(run.step('confirm-logging-coverage')).toBeFocused();
  await expect(run.screen).toHaveAttribute('data-incident-id', id);
  await run.closePhaseRefused();
  await expect(run.gateError).toContainText('Detection & Analysis cannot close: its gate is not met.');
  await expect(run.gateError).toContainText('step confirm-logging-coverage');
  await expect(run.phase('detection-analysis')).toHaveAttribute('data-status', 'open');

  await run.overridePhase('Raw logs are held by the cloud forensics team under case CF-2291; analysis continues in parallel.');
  await expect(run.overrideRecord()).toContainText('case CF-2291');
  await expect(run.phase('detection-analysis')).toHaveAttribute('data-status', 'closed');

  await run.activity.open();
  await expect(run.timelineEntries.filter({ hasText: 'OVERRIDE: closed Detection & Analysis' })).toHaveCount(1);
  await expect(run.timelineEntries.filter({ hasText: 'Marked "Revoke what the agent' })).toHaveCount(1);

  // Reload: nothing is lost.
  await page.reload();
  await run.screen.waitFor();
  await expect(run.timelineEntries.filter({ hasText: 'OVERRIDE' })).toHaveCount(1);
  await run.tab('run');
  await expect(run.phase('containment')).toHaveAttribute('data-status', 'closed');
  await expect(run.phase('detection-analysis')).toHaveAttribute('data-status', 'closed');
  await run.selectPhase('containment');
  await expect(run.note('revoke-excess-permissions')).toContainText('Removed dynamodb:DeleteTable');
  await expect(run.step('disable-ad-account')).toHaveAttribute('data-status', 'na');
});

test('a regulated-data answer escalates to CISO and legal and starts the notification clocks', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.startIncident({ playbook: 'agent-destructive-action' });
  const run = new RunPage(page);
  await run.selectPhase('detection-analysis');
  await run.answer('regulated-data-decision', ['personal-data', 'financial-data']);
  await expect(run.escalations).toContainText('Escalate now to CISO and Legal');
  await expect(run.clocks).toHaveCount(3);
  await expect(run.clock('GDPR')).toHaveAttribute('data-status', 'running');
  await expect(run.clock('SEC cybersecurity disclosure')).toHaveAttribute('data-status', 'waiting');
  await expect(run.step('brief-counsel')).toBeVisible();
  await run.recordNotification('GDPR');
  await expect(run.clock('GDPR')).toHaveAttribute('data-status', 'notified');
});
