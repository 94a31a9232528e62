import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { PlaybooksPage } from './pages/playbooks-page';
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

  const library = new PlaybooksPage(page);
  await library.open();
  await expect(library.cards).toHaveCount(3);
  const playbook = await library.openPlaybook('agent-destructive-action');
  await expect(playbook.phases).toHaveCount(5);
  // Control ids come with their catalog titles.
  await expect(playbook.phase('containment')).toContainText('AC-2 Account Management');

  await playbook.fillFromIncident(1);
  // The value is quoted for the shell, so the apostrophe cannot break out.
  await expect(playbook.commandText('list-role-policies')).toContainText(`--role-name 'deploy-agent'"'"'s role'`);
  await playbook.copyCommand('list-role-policies');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`'deploy-agent'"'"'s role'`);
});
