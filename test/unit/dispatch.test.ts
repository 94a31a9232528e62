import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, composeHandlers } from '../../electron/core/core';
import { type CoreCall, createDispatch } from '../../electron/core/dispatch';
import { FirebreakError } from '../../electron/core/errors';
import { SYSTEM_SCOPE } from '../../electron/core/ledger/ledger';
import { OperationRegistry } from '../../electron/core/operations';
import { FileKeyStore } from '../../electron/core/signers/key-store';
import { recordStateReader } from '../../electron/core/store/record-state';
import type { ApiHandlers } from '../../electron/shared/contract/index';
import { testCore } from '../helpers/core';
import { openIncident, perTest } from '../helpers/incident';
import { tempDir } from '../helpers/temp';

describe('dispatch: the one path into core', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(() => {
    dir = tempDir();
    core = testCore(dir.path, { operator: undefined, mode: 'browser' });
  });
  afterEach(() => {
    core.close();
    dir.cleanup();
  });

  it('rejects an unknown method', async () => {
    expect(await core.call('incidents.drop', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('names every invalid field', async () => {
    const r = await core.call('session.setOperator', { name: '   ', role: 42, extra: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-input');
    expect(r.error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^name: Name is required/), expect.stringMatching(/^role: Role must be text/)]));
    expect(r.error.details?.join(' ')).toMatch(/extra/);
  });

  it('refuses a change before anyone has said who is working', async () => {
    expect(await core.call('incidents.create', { playbookId: 'agent-destructive-action' })).toMatchObject({
      ok: false,
      error: { code: 'no-operator' },
    });
  });

  it('records the operator in the system ledger and on every later entry', async () => {
    expect(await core.call('session.setOperator', { name: ' Sam Ortiz ', role: 'Investigator' })).toEqual({
      ok: true,
      value: { name: 'Sam Ortiz', role: 'Investigator' },
    });
    const created = await core.call('incidents.create', { playbookId: 'agent-destructive-action' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const id = (created.value as { id: string }).id;
    const entries = await core.call('audit.entries', { scope: id });
    expect(entries).toMatchObject({ ok: true, value: [{ actor: 'Sam Ortiz', actorRole: 'Investigator', initiator: 'human', action: 'incident.opened' }] });
    expect(await core.call('audit.entries', { scope: 'system' })).toMatchObject({ ok: true, value: [{ action: 'operator.started', subject: 'Sam Ortiz' }] });
  });

  it('rejects an unknown playbook with the known ones listed', async () => {
    await core.call('session.setOperator', { name: 'Sam', role: 'IR lead' });
    const r = await core.call('incidents.create', { playbookId: 'no-such-playbook' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input', message: 'There is no playbook "no-such-playbook".' } });
  });
});

/** The real handlers over a real core, with some replaced: how a handler that forgets (or any test double) is wired in. */
function dispatchWith(core: Core, replaced: Partial<ApiHandlers>, operations = new OperationRegistry()): CoreCall {
  const ctx = core.context;
  const handlers = composeHandlers(ctx, { keys: new FileKeyStore(ctx.dataDir), passwords: { unavailable: 'not here' }, operations, callAs: () => call });
  const call = createDispatch({ handlers: { ...handlers, ...replaced } as ApiHandlers, operations, recordState: recordStateReader(ctx.db) });
  return call;
}

describe('dispatch: every mutation leaves a ledger entry', () => {
  const f = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));

  const putSetting = (value: string) =>
    f.core.context.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run('evidence.legacyHashes', value);

  it('fails a mutation that changed the record without appending to the ledger, naming the method', async () => {
    const call = dispatchWith(f.core, {
      'evidence.setSettings': ({ legacyHashes }) => {
        putSetting(String(legacyHashes)); // writes outside ctx.change, so no entry
        return { legacyHashes };
      },
    });
    const r = await call('evidence.setSettings', { legacyHashes: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/^evidence\.setSettings changed the case record without a ledger entry/) } });
  });

  it('fails an async mutation that forgets, too', async () => {
    const call = dispatchWith(f.core, {
      'evidence.setSettings': async ({ legacyHashes }) => {
        await new Promise((r) => setTimeout(r, 1));
        putSetting(String(legacyHashes));
        return { legacyHashes };
      },
    });
    expect(await call('evidence.setSettings', { legacyHashes: true })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes a mutation that records its change, and one that changed nothing at all', async () => {
    const call = dispatchWith(f.core, {});
    expect(await call('evidence.setSettings', { legacyHashes: true })).toEqual({ ok: true, value: { legacyHashes: true } });
    // The same value again: nothing changes, nothing is recorded, and that is not an error.
    expect(await call('evidence.setSettings', { legacyHashes: true })).toEqual({ ok: true, value: { legacyHashes: true } });
    const system = await call('audit.entries', { scope: SYSTEM_SCOPE });
    expect(system.ok && (system.value as Array<{ action: string }>).map((e) => e.action)).toEqual(['evidence.settings-changed']);
  });

  it('does not hold queries to it', async () => {
    const call = dispatchWith(f.core, { 'incidents.list': () => (putSetting('x'), []) });
    expect(await call('incidents.list', {})).toEqual({ ok: true, value: [] });
  });
});

describe('dispatch: long work runs as an operation', () => {
  const f = perTest(() => openIncident({ at: '2026-05-01T10:00:00Z' }));
  let call: CoreCall;
  beforeEach(() => {
    // A scan that reports progress, then waits until it is told to stop.
    call = dispatchWith(f.core, {
      'cloudtrail.scan': (_input, { signal, progress }) => {
        progress('1 of 2 files, 10 records');
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new FirebreakError('cancelled', 'The scan was cancelled.'))));
      },
    });
  });

  it('carries progress to the caller and to operations.list, and the caller\'s cancel to the handler', async () => {
    const seen: unknown[] = [];
    const controller = new AbortController();
    const scan = call('cloudtrail.scan', { paths: ['x'], operationId: 'scan-op-0001' }, { signal: controller.signal, onProgress: (p) => seen.push(p) });
    expect(seen).toEqual(['1 of 2 files, 10 records']);
    expect(await call('operations.list', {})).toMatchObject({
      ok: true,
      value: [{ id: 'scan-op-0001', method: 'cloudtrail.scan', incidentId: null, startedAt: expect.any(String), progress: '1 of 2 files, 10 records' }],
    });
    expect(await call('cloudtrail.scan', { paths: ['x'], operationId: 'scan-op-0001' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    controller.abort();
    expect(await scan).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await call('operations.list', {})).toEqual({ ok: true, value: [] });
  });

  it('is stopped by operations.cancel, and lists work without a caller\'s id under one made up', async () => {
    const scan = call('cloudtrail.scan', { paths: ['x'] });
    const listed = await call('operations.list', {});
    const id = listed.ok ? (listed.value as Array<{ id: string }>)[0]?.id : undefined;
    expect(id).toMatch(/^op-[0-9a-f]{16}$/);
    expect(await call('operations.cancel', { operationId: id })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await scan).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await call('operations.cancel', { operationId: id })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('refuses an upload without its streamed body', async () => {
    expect(await f.core.call('evidence.upload', { incidentId: f.id, name: 'a.txt' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringContaining('streamed body') },
    });
  });
});
