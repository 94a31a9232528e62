import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('evidence tab: add files, see their hashes and custody, flag a leaked key, re-verify', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.startIncident({ playbook: 'agent-destructive-action' });
  const run = new RunPage(page);
  await run.tab('evidence');
  await expect(page.getByTestId('evidence-empty')).toBeVisible();

  const trace = Buffer.from('agent step 41: DROP TABLE orders;\n'.repeat(200));
  // A key shaped like AWS's documentation example: the scanner must flag it, the record must not repeat it.
  const leaked = Buffer.from(`export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7${'EXAMPLE'}\n`);
  await page.getByTestId('evidence-input').setInputFiles([
    { name: 'agent-trace.log', mimeType: 'text/plain', buffer: trace },
    { name: 'agent.env', mimeType: 'text/plain', buffer: leaked },
  ]);
  const rows = page.getByTestId('evidence-row');
  await expect(rows).toHaveCount(2);
  const traceRow = rows.filter({ hasText: 'agent-trace.log' });
  await expect(traceRow.locator('td').nth(2)).toHaveAttribute('title', createHash('sha256').update(trace).digest('hex'));
  await expect(rows.filter({ hasText: 'agent.env' }).getByTestId('secret-finding')).toContainText('1 secret found');

  await traceRow.getByRole('button').first().click();
  await expect(page.getByTestId('custody')).toContainText('Dana Reyes (IR lead)');

  await page.getByTestId('evidence-verify').click();
  await expect(page.getByTestId('verification-result')).toContainText('All 2 items intact');
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshots', 'evidence.png') });
});
