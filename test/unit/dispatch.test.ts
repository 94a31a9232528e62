import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import { testCore } from '../helpers/core';
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
