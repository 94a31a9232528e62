import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { SignOffStatus } from '../../../electron/shared/signoff';
import type { DeclaredStore, ValidationRun } from '../../../electron/shared/validation';
import { call, settleValidation as settle, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { PG, createMariaDb, createPgDb, dropMariaDb, dropPgDb, mariaQuery, mariaUrl, pgQuery, pgUrl } from './servers';

/** The sign-off gate counts every affected data store on its own: one store's match never stands in for another's mismatch. */
describe('sign-off gate over two real databases (PostgreSQL and MariaDB)', () => {
  const data = tempDir('firebreak-two-stores-');
  let core: Core;
  let incidentId = '';
  let pgDb = '';
  let myDb = '';

  const start = async (kind: 'baseline' | 'compare', url: string, baselineRunId?: string) =>
    settle(core, await call<ValidationRun>(core, 'validation.start', { kind, incidentId, target: { url }, ...(baselineRunId ? { baselineRunId } : {}) }));
  const gate = async () => (await call<SignOffStatus[]>(core, 'signoff.status', { id: incidentId }))[0]?.gate;
  const validationLines = (missing: string[]) => missing.filter((m) => m.startsWith('validation'));

  beforeAll(async () => {
    core = testCore(data.path);
    incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Two stores' })).id;
    pgDb = await createPgDb();
    await pgQuery(pgDb, 'CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2)); INSERT INTO orders VALUES (1, 9.99), (2, 20), (3, 5.5)');
    myDb = await createMariaDb();
    await mariaQuery(myDb, 'CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40)); INSERT INTO customers VALUES (1, "Ann"), (2, "Bo")');
  });
  afterAll(async () => {
    core.close();
    await dropPgDb(pgDb);
    await dropMariaDb(myDb);
    data.cleanup();
  });

  it('a mismatch on one store keeps the gate shut however the other matches, until that store is restored and compared', async () => {
    const pgBase = await start('baseline', pgUrl(pgDb));
    const myBase = await start('baseline', mariaUrl(myDb));
    expect([pgBase.verdict, myBase.verdict]).toEqual(['captured', 'captured']);

    await pgQuery(pgDb, 'DELETE FROM orders WHERE id = 2');
    const pgCompare = await start('compare', pgUrl(pgDb), pgBase.id);
    const myCompare = await start('compare', mariaUrl(myDb), myBase.id);
    expect([pgCompare.verdict, myCompare.verdict]).toEqual(['mismatch', 'match']);

    const shut = await gate();
    expect(shut?.met).toBe(false);
    expect(shut?.stores.map((s) => [s.store?.label, s.runId, s.status])).toEqual([
      [pgUrl(pgDb), pgCompare.id, 'mismatch'],
      [mariaUrl(myDb), myCompare.id, 'match'],
    ]);
    const lines = validationLines(shut?.missing ?? []);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`validation of ${pgUrl(pgDb)}: the latest comparison (${pgCompare.id}`);
    expect(lines[0]).toContain('did not match the baseline');

    await pgQuery(pgDb, 'INSERT INTO orders VALUES (2, 20)');
    const again = await start('compare', pgUrl(pgDb), pgBase.id);
    expect(again.verdict).toBe('match');
    const open = await gate();
    expect(open?.stores.map((s) => [s.store?.label, s.runId, s.status])).toEqual([
      [pgUrl(pgDb), again.id, 'match'],
      [mariaUrl(myDb), myCompare.id, 'match'],
    ]);
    expect(validationLines(open?.missing ?? [])).toEqual([]);
  });

  it('a declared store counts too: never compared, it keeps the gate shut; its password is never kept; removing it is recorded', async () => {
    const other = `postgres://${PG.user}:s3cret-pw@${PG.host}:${PG.port}/${pgDb}_replica`;
    const declared = await call<DeclaredStore[]>(core, 'validation.setStores', { incidentId, add: [other] });
    expect(declared).toEqual([expect.objectContaining({ label: `postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}_replica`, addedBy: { name: 'Dana Reyes', role: 'IR lead' } })]);
    // The same store by another spelling (no password, scheme alias) is the same store: nothing changes.
    await call(core, 'validation.setStores', { incidentId, add: [`postgresql://someone@${PG.host}:${PG.port}/${pgDb}_replica`] });
    expect(await call<DeclaredStore[]>(core, 'validation.stores', { incidentId })).toHaveLength(1);

    const shut = await gate();
    expect(shut?.stores.map((s) => s.status)).toEqual(['missing', 'match', 'match']);
    expect(validationLines(shut?.missing ?? [])).toEqual([
      `validation of postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}_replica: no comparison of this data store against a pre-incident baseline has been started`,
    ]);

    await call(core, 'validation.setStores', { incidentId, remove: [`postgres://${PG.host}:${PG.port}/${pgDb}_replica`] });
    expect(await call<DeclaredStore[]>(core, 'validation.stores', { incidentId })).toEqual([]);
    expect(validationLines((await gate())?.missing ?? [])).toEqual([]);

    const entries = (await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId })).filter((e) => e.action === 'data-stores.changed');
    expect(entries.map((e) => e.payload)).toEqual([
      { added: [`postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}_replica`], removed: [] },
      { added: [], removed: [`postgres://${PG.user}@${PG.host}:${PG.port}/${pgDb}_replica`] },
    ]);
    expect(JSON.stringify(entries)).not.toContain('s3cret-pw');
  });

  it('refuses a URL that names no database, and removing a store that was never declared, saying which', async () => {
    await expect(call(core, 'validation.setStores', { incidentId, add: ['mysql://root@127.0.0.1:3306'] })).rejects.toThrow(/names no database/);
    await expect(call(core, 'validation.setStores', { incidentId, remove: [mariaUrl(myDb)] })).rejects.toThrow(/is not declared for IR-/);
  });
});
