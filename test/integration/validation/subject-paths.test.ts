import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyResult, RowDiffResult } from '../../../electron/shared/row-diff';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { createMariaDb, createPagilaDb, createPgDb, dropMariaDb, dropPgDb, mariaQuery, mariaUrl, pgQuery, pgUrl, psql } from './servers';

/**
 * Data subjects more than one foreign key away, on real PostgreSQL, MariaDB and SQLite: a Pagila-like rental schema
 * whose payments name only their rental (payment -> rental -> customer), an order schema (order_items -> orders ->
 * customers, and shipment_lines one step further), a cycle with no people (hub <-> warehouse) and a table four steps
 * away (beyond the bound). Every count is known from how the rows are generated.
 */

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const rows = (list: Array<Array<string | number>>) => list.map((r) => `(${r.join(', ')})`).join(', ');

function schema(engine: 'postgres' | 'mariadb' | 'sqlite'): string {
  // SQLite takes a foreign key to a table created later; the servers need the cycle's second half added afterwards.
  const hubFk = engine === 'sqlite' ? ', FOREIGN KEY (warehouse_id) REFERENCES warehouse(id)' : '';
  const cycle = engine === 'sqlite' ? '' : 'ALTER TABLE hub ADD CONSTRAINT hub_wh FOREIGN KEY (warehouse_id) REFERENCES warehouse(id);';
  return `CREATE TABLE customer (customer_id INT PRIMARY KEY, first_name VARCHAR(45), last_name VARCHAR(45), email VARCHAR(80));
CREATE TABLE rental (rental_id INT PRIMARY KEY, customer_id INT NOT NULL, rented_on DATE, FOREIGN KEY (customer_id) REFERENCES customer(customer_id));
CREATE TABLE payment (payment_id INT PRIMARY KEY, rental_id INT, amount DECIMAL(6,2), FOREIGN KEY (rental_id) REFERENCES rental(rental_id));
CREATE TABLE customers (id INT PRIMARY KEY, full_name VARCHAR(80));
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id) REFERENCES customers(id));
CREATE TABLE order_items (id INT PRIMARY KEY, order_id INT, sku VARCHAR(20), FOREIGN KEY (order_id) REFERENCES orders(id));
CREATE TABLE shipment_lines (id INT PRIMARY KEY, item_id INT, FOREIGN KEY (item_id) REFERENCES order_items(id));
CREATE TABLE line_notes (id INT PRIMARY KEY, line_id INT, note VARCHAR(40), FOREIGN KEY (line_id) REFERENCES shipment_lines(id));
CREATE TABLE addr (id INT PRIMARY KEY, phone VARCHAR(20));
CREATE TABLE staff_member (id INT PRIMARY KEY, full_name VARCHAR(80));
CREATE TABLE shop (id INT PRIMARY KEY, addr_id INT, manager_id INT, FOREIGN KEY (addr_id) REFERENCES addr(id), FOREIGN KEY (manager_id) REFERENCES staff_member(id));
CREATE TABLE hub (id INT PRIMARY KEY, warehouse_id INT${hubFk});
CREATE TABLE warehouse (id INT PRIMARY KEY, hub_id INT, FOREIGN KEY (hub_id) REFERENCES hub(id));
${cycle}
INSERT INTO customer VALUES ${rows(range(12).map((i) => [i, `'First${i}'`, `'Last${i}'`, `'c${i}@example.com'`]))};
INSERT INTO rental VALUES ${rows(range(30).map((r) => [r, ((r - 1) % 10) + 1, `'2026-01-${String(((r - 1) % 28) + 1).padStart(2, '0')}'`]))};
INSERT INTO payment VALUES ${rows(range(60).map((p) => [p, ((p - 1) % 30) + 1, `${p}.50`]))};
INSERT INTO customers VALUES ${rows(range(8).map((i) => [i, `'Person ${i}'`]))};
INSERT INTO orders VALUES ${rows(range(20).map((o) => [o, ((o - 1) % 5) + 1]))};
INSERT INTO order_items VALUES ${rows(range(40).map((i) => [i, ((i - 1) % 20) + 1, `'SKU-${i}'`]))};
INSERT INTO shipment_lines VALUES ${rows(range(40).map((i) => [i, i]))};
INSERT INTO line_notes VALUES ${rows(range(10).map((i) => [i, i, `'ok'`]))};
INSERT INTO addr VALUES (1, '+1 555 0100');
INSERT INTO staff_member VALUES (1, 'Ann Lee'), (2, 'Bo Chen');
INSERT INTO shop VALUES (1, 1, 1), (2, 1, 2);
INSERT INTO hub VALUES (1, NULL), (2, NULL);
INSERT INTO warehouse VALUES (1, 1), (2, 2);
`;
}

/**
 * What the agent did: the rentals of customers 3 and 4 deleted with their payments (so the actual no longer holds the
 * rentals the payments pointed at), order 7's items changed, one shipment line deleted.
 */
const DAMAGE = `DELETE FROM payment WHERE rental_id IN (3, 4, 13, 14, 23, 24);
DELETE FROM rental WHERE customer_id IN (3, 4);
UPDATE order_items SET sku = 'GONE' WHERE order_id = 7;
DELETE FROM shipment_lines WHERE id = 40;
`;

const bare = (t: string) => t.replace(/^public\./, '');
const step = (from: string, columns: string, to: string, referenced: string) => ({ from, columns: [columns], to, referencedColumns: [referenced] });

describe('data subjects through foreign-key paths', () => {
  const dir = tempDir('firebreak-subjects-');
  const sqliteRef = join(dir.path, 'reference.db');
  const sqliteAct = join(dir.path, 'actual.db');
  let pgRef = '';
  let pgAct = '';
  let myRef = '';
  let myAct = '';

  beforeAll(async () => {
    [pgRef, pgAct, myRef, myAct] = await Promise.all([createPgDb(), createPgDb(), createMariaDb(), createMariaDb()]);
    await Promise.all([
      psql(pgRef, schema('postgres')),
      psql(pgAct, schema('postgres') + DAMAGE),
      mariaQuery(myRef, schema('mariadb')),
      mariaQuery(myAct, schema('mariadb') + DAMAGE),
    ]);
    for (const [file, damaged] of [[sqliteRef, false], [sqliteAct, true]] as const) {
      const db = new Database(file);
      db.exec(schema('sqlite') + (damaged ? DAMAGE : ''));
      db.close();
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([dropPgDb(pgRef), dropPgDb(pgAct), dropMariaDb(myRef), dropMariaDb(myAct)]);
    dir.cleanup();
  });

  const engines = [
    ['PostgreSQL', () => pgUrl(pgRef), () => pgUrl(pgAct), 'public.'],
    ['MariaDB', () => mariaUrl(myRef), () => mariaUrl(myAct), ''],
    ['SQLite', () => `sqlite:${sqliteRef}`, () => `sqlite:${sqliteAct}`, ''],
  ] as const;

  it.each(engines)('db classify follows foreign keys up to three steps to the people, counting them in the engine (%s)', async (_e, ref, _act, s) => {
    const run = await runFirebreak(['db', 'classify', ref(), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as ClassifyResult;
    const t = Object.fromEntries(r.tables.map((x) => [bare(x.table), x.subjects]));
    expect(t.customer).toEqual({ table: `${s}customer`, columns: ['customer_id'], count: 12, steps: [] });
    expect(t.rental).toEqual({ table: `${s}customer`, columns: ['customer_id'], count: 10, steps: [step(`${s}rental`, 'customer_id', `${s}customer`, 'customer_id')] });
    // Two steps: the payment names a rental, the rental its customer; 60 payments, 30 rentals, 10 people.
    expect(t.payment).toEqual({
      table: `${s}customer`,
      columns: ['customer_id'],
      count: 10,
      steps: [step(`${s}payment`, 'rental_id', `${s}rental`, 'rental_id'), step(`${s}rental`, 'customer_id', `${s}customer`, 'customer_id')],
    });
    expect(t.order_items).toMatchObject({ table: `${s}customers`, columns: ['customer_id'], count: 5 });
    expect(t.order_items?.steps.map((x) => bare(x.to))).toEqual(['orders', 'customers']);
    expect(t.shipment_lines).toMatchObject({ table: `${s}customers`, count: 5 });
    expect(t.shipment_lines?.steps.map((x) => bare(x.to))).toEqual(['order_items', 'orders', 'customers']);
    // A shop has an address with a phone and a manager: among tables one step away, the one named for people wins.
    expect(t.shop).toEqual({ table: `${s}staff_member`, columns: ['manager_id'], count: 2, steps: [step(`${s}shop`, 'manager_id', `${s}staff_member`, 'id')] });
    // Four steps away is beyond the bound; a cycle without people ends without a subject.
    expect(t.line_notes).toBeNull();
    expect(t.hub).toBeNull();
    expect(t.warehouse).toBeNull();
    const text = await runFirebreak(['db', 'classify', ref(), '--table', 'payment']);
    expect(text.stdout).toContain(`payment (60 rows): no personal data found; 10 data subjects by customer_id -> ${s}customer via ${s}payment.rental_id -> ${s}rental.rental_id, ${s}rental.customer_id -> ${s}customer.customer_id`);
  }, 60_000);

  it.each(engines)('db diff --classify counts the people behind lost rows through the backup, where the actual lost the path too (%s)', async (_e, ref, act) => {
    const run = await runFirebreak(['db', 'diff', ref(), act(), '--classify', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const r = JSON.parse(run.stdout) as RowDiffResult;
    const t = Object.fromEntries(r.tables.map((x) => [bare(x.table), x]));
    // 12 payments of customers 3 and 4 are gone, and so are the rentals that led to them: the reference still has them.
    expect(t.payment).toMatchObject({ missing: 12, extra: 0, changed: 0, personal: { subjects: { total: 10, affected: 2 } } });
    expect(t.payment?.personal?.subjects?.steps).toHaveLength(2);
    expect(t.rental).toMatchObject({ missing: 6, personal: { subjects: { total: 10, affected: 2 } } });
    // Order 7 belongs to customer 2: two changed items, one person.
    expect(t.order_items).toMatchObject({ changed: 2, personal: { subjects: { total: 5, affected: 1 } } });
    // Shipment line 40 -> item 40 -> order 20 -> customer 5, three steps.
    expect(t.shipment_lines).toMatchObject({ missing: 1, personal: { subjects: { total: 5, affected: 1 } } });
    expect(t.line_notes).toMatchObject({ status: 'match', personal: { subjects: null } });
    expect(run.stdout).not.toMatch(/example\.com|First\d|Person \d/);
  }, 60_000);

  it('diffs across engines with the path read on the reference (PostgreSQL backup, MariaDB actual)', async () => {
    const run = await runFirebreak(['db', 'diff', pgUrl(pgRef), mariaUrl(myAct), '--classify', '--table', 'payment', '--table', 'shipment_lines']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/public\.payment: no personal data in its own columns; 2 of 10 data subjects affected \(customer_id -> public\.customer via public\.payment\.rental_id -> public\.rental\.rental_id/);
    expect(run.stdout).toMatch(/public\.shipment_lines: no personal data in its own columns; 1 of 5 data subjects affected/);
  }, 60_000);

  it('on the real Pagila follows inventory through its store to the address, and rentals to the customer before the staff', async () => {
    const pagila = await createPagilaDb();
    try {
      const run = await runFirebreak(['db', 'classify', pgUrl(pagila), '--table', 'inventory', '--table', 'rental', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const t = Object.fromEntries((JSON.parse(run.stdout) as ClassifyResult).tables.map((x) => [bare(x.table), x.subjects]));
      // The same counts, asked of PostgreSQL directly.
      const count = async (sql: string) => Number(((await pgQuery(pagila, sql)).rows[0] as { n: string }).n);
      const throughStore = await count('SELECT count(DISTINCT s.address_id) AS n FROM inventory i JOIN store s ON s.store_id = i.store_id');
      const renters = await count('SELECT count(DISTINCT customer_id) AS n FROM rental');
      // Pagila's store has no foreign key to its manager, only to its address (which holds a phone): two steps.
      expect(t.inventory).toMatchObject({ table: 'public.address', columns: ['address_id'], count: throughStore });
      expect(t.inventory?.steps.map((x) => `${x.from}.${x.columns.join()}`)).toEqual(['public.inventory.store_id', 'public.store.address_id']);
      // A rental names its customer and its staff member, both people: the first in column order.
      expect(t.rental).toMatchObject({ table: 'public.customer', columns: ['customer_id'], count: renters, steps: [{ to: 'public.customer' }] });
    } finally {
      await dropPgDb(pagila);
    }
  }, 120_000);
});
