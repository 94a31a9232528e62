import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { SYSTEM_SCOPE } from '../../../electron/core/ledger/ledger';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { PasswordVaultState, ValidationRun } from '../../../electron/shared/validation';
import { call, settleValidation as settle, testCore } from '../../helpers/core';
import { allBytes, tempDir } from '../../helpers/temp';
import { testSealer } from '../../helpers/test-sealer';
import { MARIA, createMariaDb, dropMariaDb, mariaQuery, uniqueName } from './servers';

/**
 * The desktop app's remembered passwords against a real MariaDB account that needs one (this machine's PostgreSQL
 * trusts every login, so it could not tell a wrong password from a right one). Only the OS keychain is stood in for.
 */
describe('remembered database passwords (desktop app)', () => {
  const data = tempDir('firebreak-vault-data-');
  const PASSWORD = `Fb-${uniqueName('pw')}-s3cret`;
  const user = uniqueName('u').slice(0, 32);
  let db = '';
  let core: Core;
  let incidentId = '';
  const url = () => `mysql://${user}@${MARIA.host}:${MARIA.port}/${db}`;
  const server = () => `mysql://${user}@${MARIA.host}:${MARIA.port}`;

  beforeAll(async () => {
    db = await createMariaDb();
    await mariaQuery(db, 'CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2)); INSERT INTO orders VALUES (1, 9.99), (2, 20.00)');
    await mariaQuery(undefined, `CREATE USER '${user}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await mariaQuery(undefined, `CREATE USER '${user}'@'localhost' IDENTIFIED BY '${PASSWORD}'`);
    await mariaQuery(undefined, `GRANT SELECT, SHOW VIEW ON ${db}.* TO '${user}'@'%'`);
    await mariaQuery(undefined, `GRANT SELECT, SHOW VIEW ON ${db}.* TO '${user}'@'localhost'`);
    core = testCore(data.path, { mode: 'electron', passwordSealer: testSealer() });
    incidentId = (await call<{ id: string }>(core, 'incidents.create', { playbookId: 'agent-destructive-action', title: 'Orders wiped' })).id;
  });
  afterAll(async () => {
    core.close();
    await mariaQuery(undefined, `DROP USER IF EXISTS '${user}'@'%'`);
    await mariaQuery(undefined, `DROP USER IF EXISTS '${user}'@'localhost'`);
    await dropMariaDb(db);
    data.cleanup();
  });

  it('without a password the server refuses the login, so there is something to remember', async () => {
    const r = await core.call('validation.tables', { target: { url: url() } });
    expect(r).toMatchObject({ ok: false });
  });

  it('never remembers a password the server refuses', async () => {
    const r = await core.call('validation.rememberPassword', { url: url(), password: 'not-the-password' });
    expect(r.ok).toBe(false);
    expect((await call<PasswordVaultState>(core, 'validation.passwords')).entries).toEqual([]);
  });

  it('remembers a password that works, and a run without one uses it and says so in the record', async () => {
    const entry = await call(core, 'validation.rememberPassword', { url: url(), password: PASSWORD });
    expect(entry).toMatchObject({ server: server(), engine: 'mysql', rememberedBy: 'Dana Reyes (IR lead)', usable: true });
    const state = await call<PasswordVaultState>(core, 'validation.passwords');
    expect(state).toMatchObject({ available: true, protection: 'test-aes', reason: null, entries: [{ server: server() }] });

    const tables = await call<{ tables: Array<{ table: string }>; server: string }>(core, 'validation.tables', { target: { url: url() } });
    expect(tables.tables.map((t) => t.table)).toEqual(['orders']);
    expect(tables.server).toBe(server());

    const run = await settle(core, await call<ValidationRun>(core, 'validation.start', { kind: 'baseline', incidentId, target: { url: url() } }));
    expect(run).toMatchObject({ status: 'done', verdict: 'captured' });
    const started = (await call<LedgerEntry[]>(core, 'audit.entries', { scope: incidentId })).find((e) => e.action === 'validation.started');
    expect(started?.payload).toMatchObject({ credential: 'remembered', target: `mysql://${user}@${MARIA.host}:${MARIA.port}/${db}` });

    const system = await call<LedgerEntry[]>(core, 'audit.entries', { scope: SYSTEM_SCOPE });
    const remembered = system.filter((e) => e.action.startsWith('credential.'));
    expect(remembered.map((e) => [e.action, e.subject, e.payload])).toEqual([['credential.remembered', server(), { engine: 'mysql', tls: 'off', protection: 'test-aes' }]]);
  });

  it('an empty password field counts as none typed, so the remembered one is used', async () => {
    const tables = await call<{ tables: Array<{ table: string }> }>(core, 'validation.tables', { target: { url: url(), password: '' } });
    expect(tables.tables.map((t) => t.table)).toEqual(['orders']);
  });

  it('a password typed for the run wins over the remembered one', async () => {
    const r = await core.call('validation.tables', { target: { url: url(), password: 'typed-and-wrong' } });
    expect(r.ok).toBe(false);
  });

  it('nothing under the data directory holds the password in the clear', () => {
    const bytes = allBytes(data.path);
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(PASSWORD).toString('base64')))).toBe(false);
  });

  it('forgets by any URL on the server, records it, and the next run has no password again', async () => {
    const after = await call<PasswordVaultState>(core, 'validation.forgetPassword', { server: `${url()}?connect_timeout=5` });
    expect(after.entries).toEqual([]);
    const again = await core.call('validation.forgetPassword', { server: server() });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found', message: `No password is remembered for ${server()}.` } });
    const unknown = await core.call('validation.forgetPassword', { server: 'postgresql://postgres@[/run/postgresql]:5432' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No password is remembered for postgresql://postgres@[/run/postgresql]:5432.' } });
    expect((await core.call('validation.tables', { target: { url: url() } })).ok).toBe(false);
    const system = await call<LedgerEntry[]>(core, 'audit.entries', { scope: SYSTEM_SCOPE });
    expect(system.filter((e) => e.action === 'credential.forgotten').map((e) => e.subject)).toEqual([server()]);
    expect(JSON.stringify(system)).not.toContain(PASSWORD);
  });

  it('a URL with its password in it is refused, so the password is never recorded with the URL', async () => {
    const r = await core.call('validation.rememberPassword', { url: `mysql://${user}:${PASSWORD}@${MARIA.host}/${db}`, password: PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });
});

describe('where no password is remembered', () => {
  const data = tempDir('firebreak-novault-');
  afterAll(() => data.cleanup());

  it.each([
    ['cli', {}, /The CLI does not remember database passwords: set PGPASSWORD or MYSQL_PWD/],
    ['browser', {}, /Browser mode does not remember database passwords: it has no OS keychain/],
    ['electron', { passwordSealer: { unavailable: 'No OS keychain (Secret Service or KWallet) is running.' } }, /No OS keychain \(Secret Service/],
  ] as const)('%s mode says why, and remembers nothing', async (mode, extra, why) => {
    const core = testCore(join(data.path, mode), { mode, ...extra });
    try {
      const state = await call<PasswordVaultState>(core, 'validation.passwords');
      expect(state).toMatchObject({ available: false, protection: null, entries: [] });
      expect(state.reason).toMatch(why);
      const r = await core.call('validation.rememberPassword', { url: 'mysql://root@127.0.0.1/test', password: 'x' });
      expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      if (!r.ok) expect(r.error.message).toMatch(why);
      expect(() => statSync(join(data.path, mode, 'secrets'))).toThrow();
    } finally {
      core.close();
    }
  });
});
