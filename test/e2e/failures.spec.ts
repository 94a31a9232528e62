import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import type { Panel } from './pages/panel';
import { PlaybookPage } from './pages/playbooks-page';
import { RunPage } from './pages/run-page';

/** A panel whose Api call failed says so: data-state="error" (never stuck on loading) and the reason in words. */
async function expectFailed(panel: Panel, reason: RegExp): Promise<void> {
  await expect(panel.root).toHaveAttribute('data-state', 'error');
  await expect(panel.error).toContainText(reason);
}

test('an incident or a playbook that does not exist: the screen says so, in the error state', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.sayWhoIsWorking('Dana Reyes', 'IR lead');

  const run = new RunPage(page);
  await run.goTo(app.origin, 'IR-2026-9999');
  await expectFailed(run, /IR-2026-9999/);

  const playbook = new PlaybookPage(page);
  await playbook.goTo(app.origin, 'no-such-playbook');
  await expectFailed(playbook, /no-such-playbook/);
});

test('Firebreak stops answering: every panel opened afterwards shows the error state and why', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.startIncident({ playbook: 'agent-destructive-action' });
  const run = new RunPage(page);
  await app.stop();

  const notAnswering = /not answering/;
  for (const panel of [run.evidence, run.cloudtrail, run.validation, run.gap, run.signoff, run.reports, run.activity]) {
    await panel.openTab();
    await expectFailed(panel, notAnswering);
  }
  await run.cloudtrail.openTab();
  await expectFailed(run.cloudtrail.timeline, notAnswering);

  await list.backToListUnread();
  await expectFailed(list, notAnswering);
});
