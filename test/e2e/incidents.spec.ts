import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';

test('first run: who is working, empty state, open an incident, still there after reload', async ({ page, app }) => {
  const ui = new IncidentsPage(page);
  await ui.open(app.url);

  await expect(ui.operator.root).toBeVisible();
  await ui.sayWhoIsWorking('Dana Reyes', 'IR lead');
  await expect(ui.operatorBadge).toContainText('Dana Reyes');
  await expect(ui.empty).toBeVisible();

  await ui.openIncident({ title: 'Orders database dropped by deploy agent' });
  await ui.backToList();
  await expect(ui.row('Orders database dropped by deploy agent')).toHaveCount(1);
  await expect(ui.row('Orders database dropped by deploy agent')).toContainText(/IR-\d{4}-0001/);
  await expect(ui.row('Orders database dropped by deploy agent')).toContainText('Dana Reyes');

  // The token in the fragment is gone from the address bar but kept for this tab.
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await ui.screen.waitFor();
  await expect(ui.row('Orders database dropped by deploy agent')).toHaveCount(1);
  await expect(ui.operator.root).toHaveCount(0);

  await ui.openIncident({ title: 'Billing tables truncated' });
  await ui.backToList();
  await expect(ui.rows).toHaveCount(2);
  await ui.search('billing');
  await expect(ui.rows).toHaveCount(1);
  await ui.search('');
  await expect(ui.rows).toHaveCount(2);
});

test('the Api answers 401 without the token and the page says how to get one', async ({ page, app }) => {
  const res = await page.request.post(`${app.origin}/api/incidents.list`, { data: {} });
  expect(res.status()).toBe(401);
  const ui = new IncidentsPage(page);
  await page.goto(app.origin);
  await expect(ui.missingToken).toBeVisible();
});

test('a bad title is refused with a readable message and nothing is lost', async ({ page, app }) => {
  const ui = new IncidentsPage(page);
  await ui.open(app.url);
  await ui.sayWhoIsWorking('Sam Ortiz', 'Investigator');
  await ui.startNewIncident();
  await ui.liftTitleLimit();
  await ui.fillNewIncident({ title: 'x'.repeat(250) });
  await ui.create();
  await expect(ui.newIncidentError).toContainText('Title is longer than 200 characters');
  await expect(ui.titleField).toHaveValue('x'.repeat(250));
});
