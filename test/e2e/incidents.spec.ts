import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';

test('first run: who is working, empty state, open an incident, still there after reload', async ({ page, app }) => {
  const ui = new IncidentsPage(page);
  await ui.open(app.url);

  await expect(ui.operatorScreen).toBeVisible();
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
  await expect(ui.operatorScreen).toHaveCount(0);

  await ui.openIncident({ title: 'Billing tables truncated' });
  await ui.backToList();
  await expect(ui.rows).toHaveCount(2);
  await page.getByTestId('incident-search').fill('billing');
  await expect(ui.rows).toHaveCount(1);
  await page.getByTestId('incident-search').fill('');
  await expect(ui.rows).toHaveCount(2);
  await page.getByTestId('incident-search').blur();

  mkdirSync(join(repoRoot, 'docs', 'screenshots'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshots', 'incidents.png') });
});

test('the Api answers 401 without the token and the page says how to get one', async ({ page, app }) => {
  const res = await page.request.post(`${app.origin}/api/incidents.list`, { data: {} });
  expect(res.status()).toBe(401);
  await page.goto(app.origin);
  await expect(page.getByTestId('missing-token')).toBeVisible();
});

test('a bad title is refused with a readable message and nothing is lost', async ({ page, app }) => {
  const ui = new IncidentsPage(page);
  await ui.open(app.url);
  await ui.sayWhoIsWorking('Sam Ortiz', 'Investigator');
  await page.getByTestId('new-incident').click();
  await page.getByTestId('incident-title').fill('   ');
  await page.getByTestId('incident-title').evaluate((el: HTMLInputElement) => {
    el.removeAttribute('maxlength');
  });
  await page.getByTestId('incident-title').fill('x'.repeat(250));
  await page.getByTestId('incident-create').click();
  await expect(page.getByTestId('new-incident-error')).toContainText('Title is longer than 200 characters');
  await expect(page.getByTestId('incident-title')).toHaveValue('x'.repeat(250));
});
