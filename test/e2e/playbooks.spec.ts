import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('playbook library: browse phases and controls, copy a command filled with an incident\'s parameters', async ({ page, app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.startIncident({ playbook: 'agent-destructive-action', title: 'Deploy agent dropped orders' });
  const run = new RunPage(page);
  await run.tab('parameters');
  await run.setParam('agent_role_name', "deploy-agent's role");
  await run.saveParams();

  await page.getByTestId('nav-playbooks').click();
  await expect(page.getByTestId('playbook-card')).toHaveCount(3);
  await page.locator('[data-testid="playbook-card"][data-playbook-id="agent-destructive-action"]').click();
  await page.locator('[data-testid="playbook-screen"][data-state="ready"]').waitFor();
  await expect(page.getByTestId('playbook-phase')).toHaveCount(5);
  // Control ids come with their catalog titles.
  await expect(page.locator('[data-phase="containment"]')).toContainText('AC-2 Account Management');

  await page.getByTestId('fill-from').selectOption({ index: 1 });
  const inline = page.locator('[data-testid="command"]', { hasText: 'list-role-policies' }).first();
  // The value is quoted for the shell, so the apostrophe cannot break out.
  await expect(inline.getByTestId('command-text')).toContainText(`--role-name 'deploy-agent'"'"'s role'`);
  await inline.getByTestId('copy-command').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`'deploy-agent'"'"'s role'`);
});
