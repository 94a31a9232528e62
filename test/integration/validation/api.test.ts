import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { SignOffStatus } from '../../../electron/shared/signoff';
import type { CompareResult, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { call, settleValidation as settle, testCore } from '../../helpers/core';
import { allBytes, tempDir } from '../../helpers/temp';
import { createPgDb, dropPgDb, pgUrl, psql } from './servers';

describe('validation Api: the Recovery-phase wizard flow', () => {
  const data = tempDir('firebreak-api-data-');
  const files = tempDir('firebreak-api-files-');
  const lite = join(files.path, 'orders.db');
  let core: Core;
  let incidentId = '';
  let pgDb = '';

  beforeAll(async () => {
    core = testCore(data.path);
    incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Orders wiped' })).id;
    const db = new Database(lite);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total DECIMAL(10,2)); CREATE TABLE customers (id INTEGER, name TEXT);
             INSERT INTO orders VALUES (1, 9.99), (2, 20), (3, 5.5); INSERT INTO customers VALUES (1, 'Ann'), (2, 'Bo')`);
    db.close();
    pgDb = await createPgDb();
    await psql(pgDb, `CREATE TABLE ledger_lines AS SELECT g AS id, md5(g::text) AS memo, g * 0.01 AS amount FROM generate_series(1, 1000000) g;
                      CREATE TABLE small (id int); INSERT INTO small VALUES (1), (2);`);
  });
  afterAll(async () => {
    core.close();
    await dropPgDb(pgDb);
    data.cleanup();
    files.cleanup();
  });

  it('describes a target without connecting, and lists its tables', async () => {
    expect(await call(core, 'validation.describeTarget', { url: 'postgres://ann:pw@db:5432/sales' })).toEqual({
      engine: 'postgresql',
      display: 'postgres://ann@db:5432/sales',
      server: 'postgresql://ann@db:5432',
    });
    const t = await call<{ tables: Array<{ table: string }> }>(core, 'validation.tables', { target: { url: `sqlite:${lite}` } });
    expect(t.tables.map((x) => x.table)).toEqual(['customers', 'orders']);
  });

  it('captures a baseline and compares, with progress, evidence, ledger entries and history', async () => {
    const started = await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId, target: { url: `sqlite:${lite}` } });
    expect(started).toMatchObject({ kind: 'baseline', status: 'running', target: `sqlite:${lite}`, engine: 'sqlite', startedBy: { name: 'Dana Reyes' } });
    const base = await settle(core, started);
    expect(base).toMatchObject({ status: 'done', verdict: 'captured', summary: '2 tables, 5 rows', evidenceId: expect.stringMatching(/^EV-/) });
    expect(base.progress).toMatchObject({ phase: 'finished', tablesTotal: 2, tablesDone: 2 });

    const db = new Database(lite);
    db.exec('DELETE FROM orders WHERE id = 2');
    db.close();
    const cmp = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'compare', incidentId, target: { url: `sqlite:${lite}` }, baselineRunId: base.id }));
    expect(cmp).toMatchObject({ status: 'done', verdict: 'mismatch', baselineRunId: base.id, summary: '1 of 2 tables differ: orders -1 rows' });
    const body = await call<ValidationResultBody>(core, 'validation.result', { runId: cmp.id });
    expect(body.kind).toBe('compare');
    const result = (body as { result: CompareResult }).result;
    expect(result.tables.find((t) => t.table === 'orders')).toMatchObject({ status: 'count-mismatch', delta: -1 });
    expect(result.baseline.sha256).toBe(base.resultSha256);

    const items = await call<EvidenceItem[]>(core, 'evidence.list', { incidentId });
    expect(items.map((i) => [i.id, i.sourceKind, i.sha256])).toEqual([
      [base.evidenceId, 'database-baseline', base.resultSha256],
      [cmp.evidenceId, 'validation-result', cmp.resultSha256],
    ]);
    const ledger = await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId });
    const ours = ledger.filter((e) => e.action.startsWith('validation.'));
    expect(ours.map((e) => [e.action, e.subject, e.initiator])).toEqual([
      ['validation.started', base.id, 'human'],
      ['validation.baseline-captured', base.id, 'automated'],
      ['validation.started', cmp.id, 'human'],
      ['validation.compared', cmp.id, 'automated'],
    ]);
    expect(ours[3]?.payload).toMatchObject({ verdict: 'mismatch', evidenceId: cmp.evidenceId, differences: [{ table: 'orders', status: 'count-mismatch', delta: -1 }] });
    expect((await call<{ ok: boolean }>(core, 'audit.verify', { scope: incidentId })).ok).toBe(true);

    const history = await call<ValidationRun[]>(core, 'validation.runs', { incidentId });
    expect(history.map((r) => r.id)).toEqual([cmp.id, base.id]);
    expect((await call<ValidationRun[]>(core, 'validation.runs', { incidentId, kind: 'baseline' })).map((r) => r.id)).toEqual([base.id]);
  });

  it('imports a CSV baseline and compares a PostgreSQL database against it; the password is never stored', async () => {
    const imported = await call<ValidationRun>(core, 'validation.importBaseline', {
      incidentId,
      fileName: 'rowcounts-before.csv',
      content: 'table,rows\nledger_lines,1000000\nsmall,3\n',
    });
    expect(imported).toMatchObject({ kind: 'import', status: 'done', verdict: 'captured', target: 'rowcounts-before.csv', summary: '2 tables, 1000003 rows (CSV, counts only)' });
    const secret = 'Pw-Never-Stored-99';
    const cmp = await settle(
      core,
      await call<ValidationRun>(core, 'validation.start', {
        kind: 'compare',
        incidentId,
        target: { url: pgUrl(pgDb).replace('postgres@', `postgres:${encodeURIComponent(secret)}@`), password: 'Form-Pw-98' },
        baselineRunId: imported.id,
      }),
    );
    expect(cmp).toMatchObject({ status: 'done', verdict: 'mismatch', target: pgUrl(pgDb), summary: '1 of 2 tables differ: public.small -1 rows' });
    const bytes = allBytes(data.path).toString('latin1');
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain('Form-Pw-98');
    expect(bytes).toContain('rowcounts-before.csv');
  });

  it('cancels a running scan; the ledger records who cancelled', async () => {
    const run = await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId, target: { url: pgUrl(pgDb) }, tables: ['ledger_lines'] });
    let seen = run;
    while (seen.progress?.currentTable !== 'public.ledger_lines') seen = await call<ValidationRun>(core, 'validation.status', { runId: run.id, waitMs: 5000 });
    const cancelled = await call<ValidationRun>(core, 'validation.cancel', { runId: run.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled', evidenceId: null });
    const last = (await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId })).at(-1);
    expect(last).toMatchObject({ action: 'validation.cancelled', subject: run.id, actor: 'Dana Reyes', initiator: 'human' });
    await expect(core.call('validation.cancel', { runId: run.id })).resolves.toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('records a run that fails, with its reason', async () => {
    const run = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'check-database', incidentId, target: { url: 'postgres://postgres:pw@127.0.0.1:1/none' } }));
    expect(run).toMatchObject({ status: 'failed', target: 'postgres://postgres@127.0.0.1:1/none' });
    expect(run.error).toMatch(/nothing is listening at 127.0.0.1:1/);
    const last = (await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId })).at(-1);
    expect(last).toMatchObject({ action: 'validation.failed', subject: run.id, payload: { error: run.error } });
  });

  it('checks a backup file and a database as runs with evidence', async () => {
    const dump = join(files.path, 'dump.sql');
    writeFileSync(dump, '-- nothing to see\n');
    const backup = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'check-backup', incidentId, path: dump, expectedSha256: 'f'.repeat(64) }));
    expect(backup).toMatchObject({ status: 'done', verdict: 'problem', target: dump });
    expect(backup.summary).toMatch(/SHA-256 differs from the recorded value/);
    const check = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'check-database', incidentId, target: { url: `sqlite:${lite}` } }));
    expect(check).toMatchObject({ status: 'done', verdict: 'ok', summary: 'sqlite-integrity-check: no problem found' });
    expect(await call(core, 'validation.result', { runId: check.id })).toMatchObject({ kind: 'check-database', check: { ok: true } });
  });

  it('refuses bad input before anything is recorded', async () => {
    const before = (await call<ValidationRun[]>(core, 'validation.runs', { incidentId })).length;
    const err = async (input: unknown) => {
      const r = await core.call('validation.start', input);
      if (r.ok) throw new Error('expected a failure');
      return r.error;
    };
    expect(await err({ kind: 'baseline', incidentId, target: { url: 'ftp://x/y' } })).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/unsupported scheme "ftp:"/) });
    expect(await err({ kind: 'baseline', incidentId: 'IR-2099-9999', target: { url: `sqlite:${lite}` } })).toMatchObject({ code: 'not-found' });
    expect(await err({ kind: 'compare', incidentId, target: { url: `sqlite:${lite}` }, baselineRunId: 'VR-999999' })).toMatchObject({ code: 'not-found' });
    const compareRun = (await call<ValidationRun[]>(core, 'validation.runs', { incidentId, kind: 'compare' }))[0];
    expect(await err({ kind: 'compare', incidentId, target: { url: `sqlite:${lite}` }, baselineRunId: compareRun?.id })).toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/is a compare run, not a baseline/),
    });
    expect(await err({ kind: 'check-backup', incidentId, path: join(files.path, 'gone.dump') })).toMatchObject({ message: expect.stringMatching(/gone\.dump does not exist/) });
    expect(await err({ kind: 'nonsense', incidentId })).toMatchObject({ code: 'bad-input' });
    const bad = await core.call('validation.importBaseline', { incidentId, fileName: 'x.csv', content: 'orders,many\n' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input', message: 'x.csv line 1: rows for "orders" must be a whole number of rows, got "many".' } });
    expect((await call<ValidationRun[]>(core, 'validation.runs', { incidentId })).length).toBe(before);
  });

  it('feeds the sign-off gate only what a compare proved: a partial match, then a newer failed compare, keep it shut', async () => {
    const id = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Gate check' })).id;
    const gate = async () => (await call<SignOffStatus[]>(core, 'signoff.status', { id }))[0]?.gate;
    const chosen = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId: id, target: { url: `sqlite:${lite}` }, tables: ['customers'] }));
    expect(chosen).toMatchObject({ status: 'done', summary: '1 tables, 2 rows' });
    const partial = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'compare', incidentId: id, target: { url: `sqlite:${lite}` }, baselineRunId: chosen.id }));
    // The chosen table matches; orders was never looked at, and the run and its result say so.
    expect(partial).toMatchObject({ status: 'done', verdict: 'match', summary: 'the 1 compared tables match the baseline; 1 table was not compared (orders)' });
    const body = (await call<{ result: CompareResult }>(core, 'validation.result', { runId: partial.id })).result;
    expect(body.coverage).toEqual({ complete: false, scope: { schemas: null, tables: ['customers'] }, notCompared: ['orders'] });
    expect(await gate()).toMatchObject({ met: false, validation: { status: 'partial', runId: partial.id, notCompared: ['orders'] } });

    const full = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId: id, target: { url: `sqlite:${lite}` } }));
    const match = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'compare', incidentId: id, target: { url: `sqlite:${lite}` }, baselineRunId: full.id }));
    expect(match).toMatchObject({ verdict: 'match', summary: 'all 2 tables match the baseline' });
    expect((await gate())?.validation).toMatchObject({ status: 'match', runId: match.id });

    const failed = await settle(
      core,
      await call<ValidationRun>(core, 'validation.start', { kind: 'compare', incidentId: id, target: { url: 'postgres://postgres:pw@127.0.0.1:1/none' }, baselineRunId: full.id }),
    );
    expect(failed.status).toBe('failed');
    const after = await gate();
    expect(after?.validation).toMatchObject({ status: 'not-proven', runId: failed.id, runStatus: 'failed' });
    expect(after?.missing[0]).toMatch(new RegExp(`^validation of postgres://postgres@127.0.0.1:1/none: the latest comparison \\(${failed.id}, .*\\) proves nothing: it failed: .*nothing is listening at 127.0.0.1:1`));
  });

  it('refuses a baseline of no table, imported or captured, so no compare can match having compared nothing', async () => {
    const empty = JSON.stringify({
      format: 'firebreak-baseline', version: 1, source: 'capture', engine: 'sqlite', serverVersion: null, target: null, database: null,
      capturedAt: '2026-01-01T00:00:00Z', checksumAlgorithm: null, scope: { schemas: null, tables: [] }, tables: [],
    });
    const imported = await core.call('validation.importBaseline', { incidentId, fileName: 'empty.json', content: empty });
    expect(imported).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'empty.json is not a Firebreak baseline manifest.', details: expect.arrayContaining([expect.stringMatching(/^tables: a baseline lists at least one table/)]) },
    });
    const nothing = join(files.path, 'nothing.db');
    const created = new Database(nothing);
    created.exec('CREATE TABLE dropped (x); DROP TABLE dropped');
    created.close();
    const run = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId, target: { url: `sqlite:${nothing}` } }));
    expect(run).toMatchObject({ status: 'failed', verdict: null, evidenceId: null, error: `sqlite:${nothing} has no user tables: a baseline of no table could not prove a restore.` });
  });

  it('shows a run cut off by a restart as interrupted, lets it be closed, and detects a changed stored result', async () => {
    const db = core.context.db;
    db.prepare(
      `INSERT INTO validation_runs (num, id, incident_id, kind, status, target, started_at, started_by, started_by_role)
       VALUES (900, 'VR-000900', ?, 'baseline', 'running', 'sqlite:/x', '2026-01-01T00:00:00Z', 'Dana Reyes', 'IR lead')`,
    ).run(incidentId);
    expect(await call(core, 'validation.status', { runId: 'VR-000900' })).toMatchObject({ status: 'interrupted' });
    expect(await call(core, 'validation.cancel', { runId: 'VR-000900' })).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/interrupted/) });

    const base = (await call<ValidationRun[]>(core, 'validation.runs', { incidentId, kind: 'baseline' })).find((r) => r.target === `sqlite:${lite}`);
    const edited = db.prepare("UPDATE validation_runs SET result = replace(result, '\"rows\": 3', '\"rows\": 4') WHERE id = ? AND instr(result, '\"rows\": 3') > 0");
    expect(edited.run(base?.id).changes).toBe(1);
    const r = await core.call('validation.result', { runId: base?.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'check-failed', message: expect.stringMatching(/no longer matches its evidence hash/) } });
  });
});
