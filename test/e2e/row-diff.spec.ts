import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

function chinookLike(path: string): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE customer (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT);
           CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), total NUMERIC);
           CREATE TABLE genre (id INTEGER PRIMARY KEY, name TEXT);`);
  db.transaction(() => {
    for (let c = 1; c <= 59; c++) db.prepare('INSERT INTO customer VALUES (?, ?, ?, ?)').run(c, `Ann${c}`, `Lee${c}`, `ann${c}@example.org`);
    for (let i = 1; i <= 412; i++) db.prepare('INSERT INTO invoice VALUES (?, ?, ?)').run(i, (i % 59) + 1, i / 10);
    db.exec("INSERT INTO genre VALUES (1, 'Rock')");
  })();
  db.close();
}

test('wizard: diff against the backup, open a key list, personal data in the loss confirmed into the escalation decision', async ({ page, app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-diff2-'));
  try {
    const backup = join(dir, 'backup.db');
    const prod = join(dir, 'prod.db');
    chinookLike(backup);
    chinookLike(prod);
    const damaged = new Database(prod);
    damaged.exec('DELETE FROM invoice WHERE id > 300');
    damaged.close();

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action' });
    const { validation } = new RunPage(page);
    await validation.open();

    await validation.choose('diff');
    await validation.referenceUrl.fill(`sqlite:${backup}`);
    await validation.run({ url: `sqlite:${prod}` });
    await expect(validation.result).toHaveAttribute('data-verdict', 'mismatch');
    await expect(validation.diffRow('invoice')).toHaveAttribute('data-status', 'differs');
    await expect(validation.diffRow('invoice')).toContainText('112');
    await expect(validation.diffRow('genre')).toHaveAttribute('data-status', 'match');

    await validation.openKeys('invoice');
    await expect(validation.keys).toHaveAttribute('data-total', '112');
    await expect(validation.keyRows).toHaveCount(50);
    await expect(validation.keyRows.first()).toContainText('missing');
    await page.setViewportSize({ width: 1440, height: 900 });
    await validation.keys.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/diff2-keys.png' });

    // Classified separately: the customer table holds PII, offered as the IR lead's answer to the decision.
    await validation.choose('classify');
    await validation.run({ url: `sqlite:${backup}` });
    await expect(validation.result).toHaveAttribute('data-verdict', 'captured');
    await expect(validation.regulatedData).toHaveAttribute('data-state', 'unconfirmed');
    await expect(validation.regulatedData).toContainText('PII');
    await validation.regulatedData.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/diff2-wizard.png' });
    await validation.confirmRegulatedData();
    await expect(page.getByTestId('escalations')).toBeVisible();
    await expect(validation.runs).toHaveCount(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
