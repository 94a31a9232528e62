import { createHash } from 'node:crypto';
import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('evidence tab: add files, see their hashes and custody, flag a leaked key, re-verify', async ({ page, app }) => {
  const list = new IncidentsPage(page);
  await list.open(app.url);
  await list.startIncident({ playbook: 'agent-destructive-action' });
  const { evidence } = new RunPage(page);
  await evidence.open();
  await expect(evidence.empty).toBeVisible();

  const trace = Buffer.from('agent step 41: DROP TABLE orders;\n'.repeat(200));
  // A key shaped like AWS's documentation example: the scanner must flag it, the record must not repeat it.
  const leaked = Buffer.from(`export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7${'EXAMPLE'}\n`);
  await evidence.add([
    { name: 'agent-trace.log', mimeType: 'text/plain', buffer: trace },
    { name: 'agent.env', mimeType: 'text/plain', buffer: leaked },
  ]);
  await expect(evidence.rows).toHaveCount(2);
  await expect(evidence.hashCell('agent-trace.log')).toHaveAttribute('title', createHash('sha256').update(trace).digest('hex'));
  await expect(evidence.secretFinding('agent.env')).toContainText('1 secret found');

  await evidence.showCustody('agent-trace.log');
  await expect(evidence.custody).toContainText('Dana Reyes (IR lead)');

  await evidence.verifyAll();
  await expect(evidence.verification).toContainText('All 2 items intact');
});
