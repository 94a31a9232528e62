import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { objectPath } from '../../../electron/core/evidence/store';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { ReportExport } from '../../../electron/shared/reports';
import type { DiffKeys, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { call, settleValidation as settle, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const SCHEMA = `CREATE TABLE customer (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT);
CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), total DECIMAL(10,2));
CREATE TABLE genre (id INTEGER PRIMARY KEY, name TEXT);`;

function fill(path: string): void {
  const db = new Database(path);
  db.exec(SCHEMA);
  const c = db.prepare('INSERT INTO customer VALUES (?, ?, ?, ?)');
  const i = db.prepare('INSERT INTO invoice VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let n = 1; n <= 300; n++) c.run(n, `Ann${n}`, `Lee${n}`, `ann${n}@example.org`);
    for (let n = 1; n <= 2000; n++) i.run(n, (n % 300) + 1, n / 100);
  })();
  db.exec("INSERT INTO genre VALUES (1, 'Rock'), (2, 'Jazz')");
  db.close();
}

describe('diff and classify as runs of an incident (the wizard flow)', () => {
  const data = tempDir('firebreak-diff2-data-');
  const files = tempDir('firebreak-diff2-files-');
  const backup = join(files.path, 'backup.db');
  const prod = join(files.path, 'prod.db');
  let core: Core;
  let incidentId = '';

  beforeAll(async () => {
    core = testCore(data.path);
    incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Invoices wiped' })).id;
    fill(backup);
    fill(prod);
    const db = new Database(prod);
    db.exec("DELETE FROM invoice WHERE id BETWEEN 101 AND 250; UPDATE customer SET email = 'x@example.org' WHERE id = 7");
    db.close();
  });
  afterAll(() => {
    core.close();
    data.cleanup();
    files.cleanup();
  });

  it('records a diff with per-table counts and classes, key lists as evidence, and opens a key list', async () => {
    const started = await call<ValidationRun>(core, 'validation.start', {
      kind: 'diff',
      incidentId,
      reference: { url: `sqlite:${backup}` },
      actual: { url: `sqlite:${prod}` },
      classify: true,
    });
    expect(started).toMatchObject({ kind: 'diff', status: 'running', target: `sqlite:${backup} -> sqlite:${prod}` });
    const run = await settle(core, started);
    expect(run).toMatchObject({ status: 'done', verdict: 'mismatch', evidenceId: expect.stringMatching(/^EV-/) });
    expect(run.summary).toBe('2 of 3 tables differ: customer 0 missing, 0 extra, 1 changed; invoice 150 missing, 0 extra, 0 changed; PII in the loss');
    expect(run.progress).toMatchObject({ phase: 'finished', tablesTotal: 3, tablesDone: 3 });

    const body = await call<ValidationResultBody>(core, 'validation.result', { runId: run.id });
    if (body.kind !== 'diff') throw new Error(`expected a diff, got ${body.kind}`);
    const invoice = body.diff.tables.find((t) => t.table === 'invoice');
    expect(invoice).toMatchObject({ missing: 150, changed: 0, keysFile: expect.stringMatching(/^EV-\S+ diff-VR-\d+-invoice\.keys\.csv$/) });
    expect(invoice?.personal?.subjects).toMatchObject({ table: 'customer', affected: 150 });
    // Counts and categories only: no value of a row is in the recorded result.
    expect(JSON.stringify(body)).not.toMatch(/ann\d+@example\.org|Lee\d+/);

    const keys = await call<DiffKeys>(core, 'validation.diffKeys', { runId: run.id, table: 'invoice', limit: 5 });
    // In the diff's bucket order, not key order: the first five of the 150 deleted invoices.
    expect(keys).toMatchObject({ header: ['difference', 'id'], total: 150 });
    expect(keys.keys).toHaveLength(5);
    for (const [difference, id] of keys.keys) {
      expect(difference).toBe('missing');
      expect(Number(id)).toBeGreaterThanOrEqual(101);
      expect(Number(id)).toBeLessThanOrEqual(250);
    }
    const none = await call<DiffKeys>(core, 'validation.diffKeys', { runId: run.id, table: 'genre', limit: 5 });
    expect(none).toMatchObject({ total: 0, keys: [] });

    const items = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId });
    expect(items.map((i) => i.name).sort()).toEqual([`diff-${run.id}-customer.keys.csv`, `diff-${run.id}-invoice.keys.csv`, `diff-${run.id}.json`]);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId });
    const done = ledger.find((e) => e.action === 'validation.diffed');
    expect(done?.payload).toMatchObject({ match: false, classes: ['PII'], differences: [{ table: 'customer', changed: 1 }, { table: 'invoice', missing: 150 }] });
    expect((await call<ValidationRun[]>(core, 'validation.runs', { incidentId, kind: 'diff' })).map((r) => r.id)).toEqual([run.id]);

    // The incident report shows the counts and categories per table, and whose data the lost rows were.
    const report = await call<ReportExport>(core, 'reports.export', { id: incidentId, kind: 'incident', format: 'html', save: false });
    expect(report.content).toContain('Scope of the loss: rows and personal data');
    expect(report.content).toMatch(/<td>invoice<\/td><td>150<\/td><td>0<\/td><td>0<\/td>/);
    expect(report.content).toContain('The loss holds PII.');
    expect(report.content).toMatch(/150 of 300 people \(customer\)/);
    expect(report.content).toContain('through customer_id -&gt; customer');
    // The Markdown report says the same per table, and the JSON report carries the same facts.
    const md = (await call<ReportExport>(core, 'reports.export', { id: incidentId, kind: 'incident', format: 'md', save: false })).content;
    const section = md.slice(md.indexOf('## Scope of the loss: rows and personal data'), md.indexOf('## Control gaps'));
    expect(section).toContain(`${run.id}: sqlite:${backup} (the backup) against sqlite:${prod}`);
    expect(section).toContain('**The loss holds PII.**');
    expect(section).toContain('| Table | Missing | Extra | Changed | Personal data | People affected | Path to the people | Key list |');
    expect(section).toMatch(/\| invoice \| 150 \| 0 \| 0 \| — \| 150 of 300 people \(customer\) \| customer_id -> customer \| EV-\S+ \|/);
    expect(section).toMatch(/\| customer \| 0 \| 0 \| 1 \| PII: person-name, email \| 1 of 300 people \(customer\) \| its own key \| EV-\S+ \|/);
    expect(section).not.toMatch(/example\.org|Ann\d/);
    const json = JSON.parse((await call<ReportExport>(core, 'reports.export', { id: incidentId, kind: 'incident', format: 'json', save: false })).content) as {
      scopeOfLoss: Array<{ runId: string; classes: string[]; tables: Array<Record<string, unknown>> }>;
    };
    expect(json.scopeOfLoss).toMatchObject([{ runId: run.id, classes: ['PII'] }]);
    expect(json.scopeOfLoss[0]?.tables.find((t) => t.table === 'invoice')).toMatchObject({
      missing: 150,
      categories: [],
      subjects: { table: 'customer', columns: ['customer_id'], total: 300, affected: 150, path: 'customer_id -> customer' },
    });

    // A key list altered on disk is refused, not shown.
    const csv = items.find((i) => i.name.endsWith('invoice.keys.csv'));
    const path = objectPath(data.path, csv?.sha256 ?? '');
    chmodSync(path, 0o600);
    writeFileSync(path, 'difference,id\nmissing,1\n');
    await expect(call(core, 'validation.diffKeys', { runId: run.id, table: 'invoice', limit: 5 })).rejects.toThrow(/no longer matches its evidence hash/);
  });

  it('records a classification: categories and data subjects, never values', async () => {
    const run = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'classify', incidentId, target: { url: `sqlite:${backup}` } }));
    expect(run).toMatchObject({ status: 'done', verdict: 'captured', summary: 'PII in 1 of 3 tables: customer' });
    const body = await call<ValidationResultBody>(core, 'validation.result', { runId: run.id });
    if (body.kind !== 'classify') throw new Error(`expected a classification, got ${body.kind}`);
    expect(body.classify.tables.find((t) => t.table === 'customer')?.columns.find((c) => c.column === 'email')?.categories).toEqual(['email']);
    expect(JSON.stringify(body)).not.toMatch(/ann\d+@example\.org/);
  });

  it('says what is wrong with a diff that cannot start, and records a failure that names the table', async () => {
    await expect(call(core, 'validation.start', { kind: 'diff', incidentId, reference: { url: 'nosuch://x' }, actual: { url: `sqlite:${prod}` } })).rejects.toThrow(/URL|scheme|engine/i);
    const failed = await settle(
      core,
      await call<ValidationRun>(core, 'validation.start', { kind: 'diff', incidentId, reference: { url: `sqlite:${backup}` }, actual: { url: `sqlite:${join(files.path, 'absent.db')}` } }),
    );
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('absent.db') });
  });
});
