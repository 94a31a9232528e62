import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test('validation wizard: baseline, the agent deletes rows, compare shows the delta, restore, compare matches', async ({ page, app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-db-'));
  try {
    const prod = join(dir, 'orders.db');
    const db = new Database(prod);
    db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total NUMERIC);
             CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 500;`);
    const insert = db.prepare('INSERT INTO orders (customer_id, total) VALUES (?, ?)');
    db.transaction(() => {
      for (let c = 1; c <= 50; c++) db.prepare('INSERT INTO customers (name) VALUES (?)').run(`Customer ${c}`);
      for (let i = 0; i < 2000; i++) insert.run((i % 50) + 1, (i * 7) % 1000);
    })();
    db.close();
    copyFileSync(prod, join(dir, 'backup.db'));

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action' });
    const { validation } = new RunPage(page);
    await validation.open();

    await validation.choose('baseline');
    await validation.run({ url: `sqlite:${prod}` });
    await expect(validation.result).toHaveAttribute('data-verdict', 'captured');

    // The agent's damage.
    const damaged = new Database(prod);
    damaged.exec('DELETE FROM orders WHERE id > 1880; DROP VIEW big_orders');
    damaged.close();

    await validation.choose('compare');
    await validation.run();
    await expect(validation.result).toHaveAttribute('data-verdict', 'mismatch');
    await expect(validation.compareRow('orders')).toHaveAttribute('data-status', 'count-mismatch');
    await expect(validation.compareRow('orders')).toContainText('-120');
    // Views are baselined too: the one the agent dropped is missing.
    await expect(validation.compareObject('big_orders')).toHaveAttribute('data-status', 'missing');

    copyFileSync(join(dir, 'backup.db'), prod);
    await validation.run();
    await expect(validation.result).toHaveAttribute('data-verdict', 'match');
    await expect(validation.runs).toHaveCount(3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
