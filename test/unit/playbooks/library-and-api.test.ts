import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { exportCacao } from '../../../electron/core/playbooks/cacao-export';
import { playbookLibrary } from '../../../electron/core/playbooks/library';
import type { PlaybookImport } from '../../../electron/shared/playbook/cacao-types';
import type { PlaybookDetail, PlaybookLintReport, RejectedPlaybookFile } from '../../../electron/shared/playbook/types';
import { call, testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';
import { catalog, fixture, shipped, shippedText } from './support';

describe('the playbook library', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('lists valid playbooks only, first folder first, and says why it left the others out', () => {
    const shippedDir = join(dir.path, 'shipped');
    const localDir = join(dir.path, 'local');
    mkdirSync(shippedDir);
    mkdirSync(localDir);
    copyFileSync(fixture('valid.yaml'), join(shippedDir, 'fixture-playbook.yaml'));
    copyFileSync(fixture('broken', 'unknown-control.yaml'), join(shippedDir, 'broken.yaml'));
    copyFileSync(fixture('valid.yaml'), join(localDir, 'same-id.yaml'));
    writeFileSync(join(localDir, 'notes.txt'), 'not a playbook');
    const library = playbookLibrary([shippedDir, localDir, join(dir.path, 'missing')], catalog);

    expect(library.list().map((p) => p.id)).toEqual(['fixture-playbook']);
    const loaded = library.get('fixture-playbook');
    expect(loaded).toMatchObject({ path: join(shippedDir, 'fixture-playbook.yaml'), phases: ['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident'] });
    expect(loaded?.content).toBe(readFileSync(fixture('valid.yaml'), 'utf8'));
    expect(loaded?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded?.playbook.phases[0]?.steps[0]?.id).toBe('export-agent-role');
    expect(library.rejected()).toEqual([
      { path: join(shippedDir, 'broken.yaml'), problems: [expect.objectContaining({ line: 80, col: 22 })] },
      { path: join(localDir, 'same-id.yaml'), problems: [{ line: 1, col: 1, message: `playbook id "fixture-playbook" is already used by ${join(shippedDir, 'fixture-playbook.yaml')}` }] },
    ]);
  });

  it('sees an edited file without a restart', () => {
    const file = join(dir.path, 'p.yaml');
    writeFileSync(file, readFileSync(fixture('valid.yaml'), 'utf8'));
    const library = playbookLibrary([dir.path], catalog);
    expect(library.get('fixture-playbook')?.summary.title).toBe('Fixture playbook');
    writeFileSync(file, readFileSync(fixture('valid.yaml'), 'utf8').replace('title: Fixture playbook', 'title: Renamed'));
    expect(library.get('fixture-playbook')?.summary.title).toBe('Renamed');
  });

  it('finds the shipped catalog beside the shipped playbooks when none is given', () => {
    const library = playbookLibrary([join(fixture(), '..', '..', '..', 'playbooks')]);
    expect(library.catalog().get('ac-2')?.title).toBe('Account Management');
    expect(library.list()).toHaveLength(3);
  });
});

describe('the playbooks Api', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(() => {
    dir = tempDir();
    core = testCore(dir.path);
  });
  afterEach(() => {
    core.close();
    dir.cleanup();
  });

  it('lists the shipped playbooks as summaries', async () => {
    expect(await call(core, 'playbooks.list')).toEqual([
      expect.objectContaining({ id: 'agent-change-freeze-breach', version: '1.0.0', severity: 'high' }),
      expect.objectContaining({ id: 'agent-credential-exposure' }),
      expect.objectContaining({ id: 'agent-destructive-action', title: 'AI agent destructive action in production' }),
    ]);
  });

  it('gets a playbook in full with the titles of its controls', async () => {
    const detail = await call<PlaybookDetail>(core, 'playbooks.get', { id: 'agent-destructive-action' });
    expect(detail.playbook).toEqual(shipped('agent-destructive-action'));
    expect(detail.origin).toBe('shipped');
    expect(detail.controls['si-12']).toEqual({ id: 'si-12', label: 'SI-12', title: 'Information Management and Retention', family: 'System and Information Integrity' });
    expect(Object.keys(detail.controls)).toHaveLength(25);
  });

  it('names the known playbooks when asked for an unknown one, and checks ids at the boundary', async () => {
    expect(await core.call('playbooks.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('agent-destructive-action') } });
    expect(await core.call('playbooks.get', { id: '../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await core.call('playbooks.export', { id: 'agent-destructive-action', format: 'stix' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('lints editor text with positions', async () => {
    const broken = readFileSync(fixture('broken', 'gate-unknown-step.yaml'), 'utf8');
    expect(await call<PlaybookLintReport>(core, 'playbooks.lint', { text: broken })).toEqual({
      ok: false,
      problems: [{ line: 83, col: 21, message: 'phase eradication > gate > steps[0]: names step "least-privileges", which does not exist' }],
    });
    expect(await call<PlaybookLintReport>(core, 'playbooks.lint', { text: shippedText('agent-credential-exposure') })).toEqual({
      ok: true,
      id: 'agent-credential-exposure',
      title: 'Agent credential exposure and cross-environment use',
      problems: [],
    });
  });

  it('imports a CACAO playbook into the data directory, records it in the ledger, and refuses a second one with the same id', async () => {
    const cacao = JSON.stringify(exportCacao(shipped('agent-credential-exposure'), { catalog }));
    const result = await call<PlaybookImport>(core, 'playbooks.import', { cacao, id: 'credential-exposure-local', source: 'test' });
    expect(result).toMatchObject({ id: 'credential-exposure-local', lossless: true, problems: [], path: join(dir.path, 'playbooks', 'credential-exposure-local.yaml') });
    expect(existsSync(result.path)).toBe(true);
    const detail = await call<PlaybookDetail>(core, 'playbooks.get', { id: 'credential-exposure-local' });
    expect(detail.origin).toBe('imported');
    expect(detail.sha256).toBe(result.sha256);
    const entry = core.context.ledger.entries('system').find((e) => e.action === 'playbook.imported');
    expect(entry).toMatchObject({ subject: 'credential-exposure-local', actor: 'Dana Reyes', payload: { sha256: result.sha256, source: 'test', lossless: true } });

    expect(await core.call('playbooks.import', { cacao, id: 'credential-exposure-local' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await core.call('playbooks.import', { cacao })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('"agent-credential-exposure" already exists') },
    });
    expect(await core.call('playbooks.import', { cacao: '{"type": ' })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/^The CACAO playbook is not valid JSON/) } });
  });

  it('lists the files it leaves out', async () => {
    mkdirSync(join(dir.path, 'playbooks'));
    copyFileSync(fixture('broken', 'missing-phase.yaml'), join(dir.path, 'playbooks', 'draft.yaml'));
    expect(await call<RejectedPlaybookFile[]>(core, 'playbooks.problems')).toEqual([
      { path: join(dir.path, 'playbooks', 'draft.yaml'), problems: [{ line: 32, col: 1, message: 'phases: missing phase post-incident' }] },
    ]);
  });
});
