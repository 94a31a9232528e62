import { describe, expect, it } from 'vitest';
import { loadControlTexts } from '../../../electron/core/playbooks/catalog-text';
import type { LedgerEntry } from '../../../electron/shared/domain';
import { call, repoRoot } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { addEvidence, openReportsIncident } from './support';

describe('catalog text', () => {
  it('gives statement and assessment objectives with parameters as NIST prints them', () => {
    const texts = loadControlTexts(repoRoot);
    const ac2 = texts.get('ac-2');
    expect(ac2).toMatchObject({ label: 'AC-2', title: 'Account Management', family: 'Access Control' });
    expect(ac2?.statement).toContainEqual({ label: 'c.', text: 'Require [Assignment: organization-defined prerequisites and criteria] for group and role membership;', depth: 0 });
    expect(ac2?.statement).toContainEqual(expect.objectContaining({ label: '3.', depth: 1 }));
    expect(ac2?.objectives).toContainEqual({ label: 'AC-02a.[01]', text: 'account types allowed for use within the system are defined and documented;', depth: 1 });
    const si12 = texts.get('si-12');
    expect(si12?.statement[0]?.text).toMatch(/^Manage and retain information within the system/);
    expect(si12?.objectives.map((o) => o.label)).toEqual(['SI-12[01]', 'SI-12[02]', 'SI-12[03]', 'SI-12[04]']);
    // A selection parameter lists its choices, nested parameters filled in.
    expect(texts.get('cm-3')?.statement.map((l) => l.text).join(' ')).toMatch(/\[Selection \(one or more\): \[Assignment: organization-defined [^\]]+\]; when \[Assignment/);
    expect(texts.get('cm-3.1')?.label).toBe('CM-3(1)');
  });
});

describe('gap analysis', () => {
  const t = perTest(() => openReportsIncident('2026-05-10T09:00:00Z'));

  it('lists the gap-assessment controls with their questions, then the controls the playbook maps', async () => {
    const g = await t.mine('gap.get', { id: t.id });
    expect(g.controls.slice(0, 4).map((c) => c.label)).toEqual(['AC-2', 'AC-6', 'CM-3', 'SI-12']);
    expect(g.controls[0]).toMatchObject({ source: 'gap-assessment', stepId: 'governance-gap-analysis', question: expect.stringMatching(/account lifecycle/) });
    expect(g.controls.map((c) => c.label)).toEqual(expect.arrayContaining(['IA-2', 'IA-5', 'CP-9', 'CP-10', 'CM-7', 'SI-4', 'SI-7', 'AC-3', 'AT-2']));
    expect(g.controls.find((c) => c.label === 'CP-9')).toMatchObject({ source: 'playbook-mapping', question: null });
    // The controls the Post-Incident phase names are in the set it assesses, right after its questions.
    expect(g.controls.slice(4, 7).map((c) => [c.label, c.source])).toEqual([['IR-8', 'phase'], ['RA-3', 'phase'], ['AU-11', 'phase']]);
    expect(new Set(g.controls.map((c) => c.controlId)).size).toBe(g.controls.length);
    expect(g.controls.every((c) => c.control?.statement.length)).toBe(true);
    expect(g.assessed).toBe(0);
    expect(g.missing).toContain('AC-2: no state recorded');
  });

  it('records each change as one ledger entry naming old and new values, and asks for what an open gap needs', async () => {
    let g = await t.mine('gap.assess', { id: t.id, controlId: 'cm-3', state: 'not-implemented' });
    expect(g.missing).toEqual(expect.arrayContaining(['CM-3: the specific gap is not described', 'CM-3: no owner', 'CM-3: no due date']));
    g = await t.mine('gap.assess', {
      id: t.id,
      controlId: 'CM-3',
      gap: 'The change review board did not cover AI agent deployments as an in-scope change type.',
      owner: 'Platform change manager',
      dueDate: '2026-06-30',
    });
    const cm3 = g.controls.find((c) => c.label === 'CM-3');
    expect(cm3).toMatchObject({ state: 'not-implemented', owner: 'Platform change manager', dueDate: '2026-06-30', updatedBy: { name: 'Dana Reyes' } });
    expect(g.missing.filter((m) => m.startsWith('CM-3'))).toEqual([]);
    // The same values again change nothing and record nothing.
    await t.mine('gap.assess', { id: t.id, controlId: 'CM-3', owner: 'Platform change manager' });
    const entries = (await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).filter((e) => e.action === 'gap.assessed');
    expect(entries).toHaveLength(2);
    expect(entries[1]?.payload).toMatchObject({
      control: 'cm-3',
      changes: { owner: { from: null, to: 'Platform change manager' }, dueDate: { from: null, to: '2026-06-30' } },
    });
    expect((await call<{ ok: boolean }>(t.core, 'audit.verify', { scope: t.id })).ok).toBe(true);
  });

  it('names the control, the field and where when input is bad', async () => {
    await expect(t.mine('gap.assess', { id: t.id, controlId: 'SC-7', state: 'implemented' })).rejects.toThrow(/"SC-7" is not in the gap set/);
    await expect(t.mine('gap.assess', { id: t.id, controlId: 'AC-2', dueDate: '2026-02-30' })).rejects.toThrow('The due date 2026-02-30 is not a date in the calendar.');
    await expect(t.mine('gap.assess', { id: t.id, controlId: 'AC-2', dueDate: '30/06/2026' })).rejects.toThrow(/a due date looks like 2026-06-30/);
    await expect(t.mine('gap.assess', { id: 'IR-2026-9999', controlId: 'AC-2', state: 'implemented' })).rejects.toThrow(/There is no incident IR-2026-9999/);
  });

  it('links evidence to a control and shows its hash; unlinking records too', async () => {
    const item = await addEvidence(t.core, t.id, 'cab-minutes-2026-04.pdf', 'minutes: agent deployments not on the agenda');
    let g = await t.mine('gap.linkEvidence', { id: t.id, controlId: 'cm-3', itemId: item.id });
    expect(g.controls.find((c) => c.label === 'CM-3')?.evidence).toEqual([{ id: item.id, name: 'cab-minutes-2026-04.pdf', sha256: item.sha256, status: 'intact' }]);
    g = await t.mine('gap.linkEvidence', { id: t.id, controlId: 'cm-3', itemId: item.sha256.slice(0, 12), unlink: true });
    expect(g.controls.find((c) => c.label === 'CM-3')?.evidence).toEqual([]);
    const actions = (await call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['gap.evidence-linked', 'gap.evidence-unlinked']));
  });
});
