import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDiffResult } from '../../../electron/shared/row-diff';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { createMariaDb, createPgDb, dropMariaDb, dropPgDb, mariaQuery, mariaUrl, pgUrl, psql } from './servers';

/**
 * `firebreak db diff` on real PostgreSQL, MariaDB and SQLite: one reference (PostgreSQL, the "backup") against damaged
 * copies on each engine. The damage is known, so every count and every key in the CSVs is.
 */

const CUSTOMERS = 1500;
const customer = (i: number) => [i, `'user${i}@example.com'`, `'Name ${i} Ünïcode'`, `${(i % 97) + 0.5}`];
const values = (rows: Array<Array<number | string>>) => rows.map((r) => `(${r.join(', ')})`).join(',\n');

/** Portable SQL: the same tables and rows on the three engines. */
function schemaSql(): string {
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => customer(i + 1));
  const items = [1, 2, 3].flatMap((a) => ['x', 'y'].map((b) => [a, `'${b}'`, a * 10]));
  return `CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100), balance DECIMAL(10,2));
INSERT INTO customer VALUES ${values(customers)};
CREATE TABLE item (a INT NOT NULL, b VARCHAR(10) NOT NULL, qty INT, PRIMARY KEY (a, b));
INSERT INTO item VALUES ${values(items)};
CREATE TABLE audit_log (msg VARCHAR(100));
INSERT INTO audit_log VALUES ('login'), ('login'), ('export'), ('delete');
`;
}

/** What an agent did: 40 customers deleted, one changed, one added; an item changed; a duplicated log line removed. */
const DAMAGE = [
  'DELETE FROM customer WHERE id BETWEEN 101 AND 140',
  "UPDATE customer SET email = 'changed@example.com' WHERE id = 7",
  "INSERT INTO customer VALUES (9001, 'new@example.com', NULL, 1.00)",
  'UPDATE item SET qty = 99 WHERE a = 2',
  "DELETE FROM audit_log WHERE msg = 'export'",
];

const expected = {
  customer: { missing: 40, extra: 1, changed: 1 },
  item: { missing: 0, extra: 0, changed: 2 },
  audit_log: { missing: 1, extra: 0, changed: 0 },
};

const byName = (r: RowDiffResult) => Object.fromEntries(r.tables.map((t) => [t.table.replace(/^public\./, ''), t]));

describe('firebreak db diff', () => {
  const dir = tempDir('firebreak-diff-');
  let reference = '';
  let pgActual = '';
  let myActual = '';
  const sqliteActual = join(dir.path, 'actual.db');
  const sqliteReference = join(dir.path, 'reference.db');

  beforeAll(async () => {
    [reference, pgActual, myActual] = await Promise.all([createPgDb(), createPgDb(), createMariaDb()]);
    await psql(reference, schemaSql());
    await psql(pgActual, `${schemaSql()}${DAMAGE.join(';\n')};`);
    await mariaQuery(myActual, `${schemaSql()}${DAMAGE.join(';\n')};`);
    for (const [file, damaged] of [[sqliteActual, true], [sqliteReference, false]] as const) {
      const db = new Database(file);
      db.exec(schemaSql());
      if (damaged) db.exec(DAMAGE.join(';\n'));
      db.close();
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([dropPgDb(reference), dropPgDb(pgActual), dropMariaDb(myActual)]);
    dir.cleanup();
  });

  const diff = async (args: string[]) => {
    const run = await runFirebreak(['db', 'diff', ...args, '--json']);
    if (run.code === 2) throw new Error(run.stderr);
    return { code: run.code, result: JSON.parse(run.stdout) as RowDiffResult, stderr: run.stderr };
  };

  it.each([
    ['PostgreSQL', () => pgUrl(pgActual)],
    ['MariaDB', () => mariaUrl(myActual)],
    ['SQLite', () => `sqlite:${sqliteActual}`],
  ])('finds every missing, extra and changed row of a PostgreSQL reference in a damaged %s copy, by key', async (engine, actual) => {
    const keys = join(dir.path, `keys-${engine}`);
    const { code, result } = await diff([pgUrl(reference), actual(), '--keys-out', keys]);
    expect(code).toBe(1);
    expect(result.match).toBe(false);
    const t = byName(result);
    for (const [table, counts] of Object.entries(expected)) expect(t[table], table).toMatchObject({ ...counts, status: 'differs' });
    expect(t.customer).toMatchObject({ keyedBy: 'primary-key', key: ['id'], referenceRows: CUSTOMERS, actualRows: CUSTOMERS - 40 + 1 });
    // Matching buckets are not read: only a few of the buckets differ.
    expect(t.customer?.differingBuckets).toBeLessThan(50);
    expect(t.customer?.buckets).toBeGreaterThan(100);
    expect(t.audit_log).toMatchObject({ keyedBy: 'whole-row', key: [] });
    expect(result.notes.join(' ')).toMatch(/audit_log was compared by whole-row hashes/);

    const csv = readFileSync(t.customer?.keysFile ?? '', 'utf8').trim().split('\n');
    expect(csv[0]).toBe('difference,id');
    expect(csv.slice(1).sort()).toEqual(
      [...Array.from({ length: 40 }, (_, i) => `missing,${101 + i}`), 'extra,9001', 'changed,7'].sort(),
    );
    const items = readFileSync(t.item?.keysFile ?? '', 'utf8').trim().split('\n');
    expect(items[0]).toBe('difference,a,b');
    expect(items.slice(1).sort()).toEqual(['changed,2,x', 'changed,2,y']);
    const log = readFileSync(t.audit_log?.keysFile ?? '', 'utf8').trim().split('\n');
    expect(log[0]).toBe('difference,row_hash_64');
    expect(log[1]).toMatch(/^missing,[0-9a-f]{16}$/);
  }, 60_000);

  it('with --classify says what the lost rows held and how many people they belong to', async () => {
    const { result } = await diff([pgUrl(reference), `sqlite:${sqliteActual}`, '--classify']);
    const t = byName(result);
    // 40 customers deleted and one changed: 41 people, out of 1500.
    expect(t.customer?.personal).toEqual({
      categories: ['email', 'person-name'],
      classes: ['PII'],
      subjects: { table: 'public.customer', columns: ['id'], total: CUSTOMERS, affected: 41, steps: [] },
    });
    expect(t.item?.personal).toEqual({ categories: [], classes: [], subjects: null });
    const text = await runFirebreak(['db', 'diff', pgUrl(reference), `sqlite:${sqliteActual}`, '--classify']);
    expect(text.stdout).toMatch(/Personal data in the loss:\n {2}public\.customer: PII \(email, person-name\); 41 of 1500 data subjects affected/);
    expect(text.stdout).not.toMatch(/example\.com/);
    // The other way round, MariaDB as the reference: customer 9001 is missing from PostgreSQL and 7 differs.
    const back = await diff([mariaUrl(myActual), pgUrl(reference), '--table', 'customer', '--classify']);
    expect(back.result.tables[0]).toMatchObject({ missing: 1, extra: 40, changed: 1, personal: { subjects: { columns: ['id'], total: CUSTOMERS - 39, affected: 2 } } });
  }, 60_000);

  it('with --incident records a run as the wizard does: key lists and result as evidence, the ledger entry, the step named', async () => {
    const data = join(dir.path, 'data');
    const fb = (...args: string[]) => runFirebreak(['--data-dir', data, ...args]);
    const id = (await fb('incident', 'new', '--playbook', 'agent-destructive-action')).stdout.trim();
    const run = await fb('db', 'diff', pgUrl(reference), `sqlite:${sqliteActual}`, '--incident', id, '--classify', '--json');
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as RowDiffResult & { run: string; evidenceId: string };
    expect(out.run).toMatch(/^VR-\d{6,}$/);
    const customers = byName(out).customer;
    expect(customers).toMatchObject({ missing: 40, extra: 1, changed: 1, personal: { subjects: { affected: 41 } } });
    expect(customers?.keysFile).toMatch(new RegExp(`^EV-\\S+ diff-${out.run}-public\\.customer\\.keys\\.csv$`));
    const verify = await fb('evidence', 'verify', id, '--json');
    expect(verify.code, verify.stderr).toBe(0);
    const items = (JSON.parse(verify.stdout) as { items: Array<{ id: string; name: string; status: string }> }).items;
    expect(items.filter((i) => i.name.startsWith(`diff-${out.run}`)).map((i) => [i.name, i.status]).sort()).toEqual(
      [`diff-${out.run}.json`, ...['audit_log', 'customer', 'item'].map((t) => `diff-${out.run}-public.${t}.keys.csv`)].sort().map((n) => [n, 'intact']),
    );
    expect(items.find((i) => i.id === out.evidenceId)?.name).toBe(`diff-${out.run}.json`);
    const ledger = (await fb('audit', 'log', id, '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; payload: Record<string, unknown> });
    expect(ledger.find((e) => e.action === 'validation.diffed')?.payload).toMatchObject({ match: false, classes: ['PII'] });
    // The text form names the run; a classification is recorded the same way, on the step given.
    const text = await fb('db', 'diff', pgUrl(reference), pgUrl(reference), '--incident', id, '--table', 'item');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`VR-\\d+: diff of .* recorded in ${id}: match`));
    const classified = await fb('db', 'classify', pgUrl(reference), '--incident', id, '--table', 'customer', '--step', 'recovered-state-manifest', '--json');
    expect(classified.code, classified.stderr).toBe(0);
    const c = JSON.parse(classified.stdout) as { run: string; evidenceId: string; tables: Array<{ table: string; classes: string[] }> };
    expect(c.tables).toMatchObject([{ table: 'public.customer', classes: ['PII'] }]);
    expect((await fb('audit', 'log', id, '--json')).stdout).toContain(c.run);
    const list = JSON.parse((await fb('evidence', 'list', id, '--json')).stdout) as Array<{ id: string; linkedSteps: string[] }>;
    expect(list.find((e) => e.id === c.evidenceId)?.linkedSteps).toEqual(['recovered-state-manifest']);
    expect(list.find((e) => e.id === out.evidenceId)?.linkedSteps).toEqual([]);
    const both = await fb('db', 'diff', pgUrl(reference), pgUrl(reference), '--incident', id, '--keys-out', dir.path);
    expect(both.code).toBe(2);
    const stepless = await fb('db', 'diff', pgUrl(reference), pgUrl(reference), '--step', 'x');
    expect(stepless.code).toBe(2);
    const none = await fb('db', 'diff', pgUrl(reference), pgUrl(reference), '--incident', 'IR-2026-9999');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/IR-2026-9999/);
  }, 90_000);

  it('reports a match and exits 0 when the rows are the same, across engines', async () => {
    const { code, result } = await diff([`sqlite:${sqliteReference}`, pgUrl(reference)]);
    expect(result.tables.map((t) => [t.status, t.missing, t.extra, t.changed])).toEqual([
      ['match', 0, 0, 0],
      ['match', 0, 0, 0],
      ['match', 0, 0, 0],
    ]);
    expect(result.match).toBe(true);
    expect(code).toBe(0);
  }, 60_000);

  it('takes --table, counts a dropped table as all rows missing, and prints a table for people', async () => {
    const only = await diff([pgUrl(reference), pgUrl(pgActual), '--table', 'customer']);
    expect(only.result.tables.map((t) => t.table)).toEqual(['public.customer']);
    await psql(pgActual, 'DROP TABLE item');
    const dropped = await diff([pgUrl(reference), pgUrl(pgActual), '--table', 'item']);
    expect(dropped.result.tables[0]).toMatchObject({ status: 'missing-table', missing: 6, extra: 0, referenceRows: 6, actualRows: null });
    const text = await runFirebreak(['db', 'diff', pgUrl(reference), pgUrl(pgActual)]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/public\.customer\s+differs\s+id\s+1500\s+1461\s+40\s+1\s+1/);
    expect(text.stdout).toMatch(/DIFFERENCES in 3 of 3 tables/);
    const unknown = await runFirebreak(['db', 'diff', pgUrl(reference), pgUrl(pgActual), '--table', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no table "nosuch"/);
  }, 60_000);
});
