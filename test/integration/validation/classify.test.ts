import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyResult } from '../../../electron/shared/row-diff';
import { runFirebreak } from '../../helpers/cli';
import { REFERENCE, createMariaDb, createPgDb, dropMariaDb, dropPgDb, mariaQuery, mariaUrl, pgUrl, psql } from './servers';

/** `firebreak db classify` on real servers: columns found by name and by values, subjects through a foreign key. */

const SCHEMA = `CREATE TABLE patient (id INT PRIMARY KEY, full_name VARCHAR(80), contact VARCHAR(80), tax_ref VARCHAR(20), born DATE);
CREATE TABLE visit (id INT PRIMARY KEY, patient_id INT REFERENCES patient(id), notes VARCHAR(200), client_addr VARCHAR(45));
CREATE TABLE payout (id INT PRIMARY KEY, patient_id INT REFERENCES patient(id), card VARCHAR(30), account VARCHAR(40), amount DECIMAL(10,2));
CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(80), code VARCHAR(20));
INSERT INTO patient VALUES (1, 'Ann Lee', 'ann@example.com', '078-05-1120', '1980-01-02'), (2, 'Bo Chen', 'bo@example.org', '219-09-9999', '1975-05-06'),
  (3, 'Cy Diaz', 'cy@example.net', '457-55-5462', NULL);
INSERT INTO visit VALUES (1, 1, 'Type 2 diabetes, insulin adjusted', '10.0.0.7'), (2, 1, 'asthma review', '10.0.0.8'), (3, 2, 'E11.9', '2001:db8::2');
INSERT INTO payout VALUES (1, 1, '4111 1111 1111 1111', 'GB82WEST12345698765432', 10.50), (2, 3, '5500005555555559', 'DE89370400440532013000', 3.00);
INSERT INTO product VALUES (1, 'Widget', 'W-1'), (2, 'Gadget', 'G-2');
`;

const cats = (r: ClassifyResult, table: string) =>
  Object.fromEntries((r.tables.find((t) => t.table.replace(/^public\./, '') === table)?.columns ?? []).filter((c) => c.categories.length).map((c) => [c.column, c.categories]));

describe('firebreak db classify', () => {
  let pgDb = '';
  let myDb = '';
  beforeAll(async () => {
    [pgDb, myDb] = await Promise.all([createPgDb(), createMariaDb()]);
    await psql(pgDb, SCHEMA);
    await mariaQuery(myDb, SCHEMA);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([dropPgDb(pgDb), dropMariaDb(myDb)]);
  });

  it.each([
    ['PostgreSQL', () => pgUrl(pgDb)],
    ['MariaDB', () => mariaUrl(myDb)],
  ])('finds personal data by values where names say nothing, and counts subjects through foreign keys (%s)', async (_engine, url) => {
    const run = await runFirebreak(['db', 'classify', url(), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as ClassifyResult;
    expect(cats(r, 'patient')).toEqual({ full_name: ['person-name'], contact: ['email'], tax_ref: ['national-id'] });
    expect(cats(r, 'visit')).toEqual({ notes: ['health'], client_addr: ['ip-address'] });
    expect(cats(r, 'payout')).toEqual({ card: ['payment-card'], account: ['iban'] });
    expect(cats(r, 'product')).toEqual({});
    const t = Object.fromEntries(r.tables.map((x) => [x.table.replace(/^public\./, ''), x]));
    expect(t.patient).toMatchObject({ rows: 3, classes: ['PII'], subjects: { columns: ['id'], count: 3 } });
    expect(t.visit).toMatchObject({ rows: 3, classes: ['PHI', 'PII'], subjects: { columns: ['patient_id'], count: 2 } });
    expect(t.payout).toMatchObject({ classes: ['financial'], subjects: { columns: ['patient_id'], count: 2 } });
    expect(t.product).toMatchObject({ classes: [], subjects: null });
    // Values are looked at, never printed.
    expect(run.stdout).not.toMatch(/078-05-1120|ann@example|4111|diabetes|GB82/);
  }, 60_000);

  it('classifies Chinook (SQLite) for people: customers and employees by their own key, invoices by their customer', async () => {
    const run = await runFirebreak(['db', 'classify', `sqlite:${REFERENCE}/chinook/Chinook_Sqlite.sqlite`, '--table', 'Customer', '--table', 'Invoice', '--table', 'Track']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Customer \(59 rows\): PII; 59 data subjects by CustomerId -> Customer/);
    expect(run.stdout).toMatch(/Email: email \(by name\+values, 59 of 59 sampled values\)/);
    expect(run.stdout).toMatch(/Invoice \(412 rows\): PII; 59 data subjects by CustomerId -> Customer/);
    expect(run.stdout).toMatch(/Track \(3503 rows\): no personal data found/);
    expect(run.stdout).not.toMatch(/@/);
  }, 60_000);
});
