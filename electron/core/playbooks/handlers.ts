import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ApiHandlers } from '../../shared/contract/index';
import type { PlaybookImport } from '../../shared/playbook/cacao-types';
import type { ControlInfo } from '../../shared/playbook/catalog';
import { lintPlaybookText } from '../../shared/playbook/lint';
import type { Playbook } from '../../shared/playbook/schema';
import { playbookToYaml } from '../../shared/playbook/serialize';
import type { CoreContext } from '../context';
import { FirebreakError, notFound } from '../errors';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { exportCacao } from './cacao-export';
import { importCacao } from './cacao-import';
import { sha256 } from './library';
import { lintPaths } from './lint-files';

type PlaybookHandlers = Pick<
  ApiHandlers,
  'playbooks.list' | 'playbooks.get' | 'playbooks.lint' | 'playbooks.lintFiles' | 'playbooks.problems' | 'playbooks.export' | 'playbooks.import'
>;

/** Every SP 800-53 id a playbook cites: framework mappings, phases, steps and gap assessments. */
export function citedControls(playbook: Playbook): string[] {
  const ids = new Set<string>(playbook.mappings.sp80053 ?? []);
  for (const phase of playbook.phases) {
    phase.controls.forEach((id) => ids.add(id));
    for (const step of phase.steps) {
      if (step.kind === 'gap-assessment') step.controls.forEach((c) => ids.add(c.id));
      else step.controls?.forEach((id) => ids.add(id));
    }
  }
  return [...ids];
}

export function playbookHandlers(ctx: CoreContext): PlaybookHandlers {
  const importDir = join(ctx.dataDir, 'playbooks');
  const find = (id: string) => {
    const found = ctx.playbooks.get(id);
    if (!found) {
      const known = ctx.playbooks.list().map((p) => p.id);
      throw notFound(`There is no playbook "${id}". Known playbooks: ${known.join(', ') || 'none'}.`);
    }
    return found;
  };

  return {
    'playbooks.list': () => ctx.playbooks.list(),

    'playbooks.get': ({ id }) => {
      const loaded = find(id);
      const catalog = ctx.playbooks.catalog();
      const controls: Record<string, ControlInfo> = {};
      for (const control of citedControls(loaded.playbook)) {
        const info = catalog.get(control);
        if (info) controls[control] = info;
      }
      const imported = loaded.path.startsWith(importDir + sep);
      return { summary: loaded.summary, playbook: loaded.playbook, sha256: loaded.sha256, origin: imported ? 'imported' : 'shipped', controls };
    },

    'playbooks.lint': ({ text }) => {
      const { playbook, problems } = lintPlaybookText(text, { catalog: ctx.playbooks.catalog() });
      return { ok: problems.length === 0, ...(playbook ? { id: playbook.id, title: playbook.title } : {}), problems };
    },

    'playbooks.lintFiles': ({ paths }) => lintPaths(paths, ctx.playbooks.catalog()),

    'playbooks.problems': () => ctx.playbooks.rejected(),

    'playbooks.export': ({ id }) => exportCacao(find(id).playbook, { catalog: ctx.playbooks.catalog(), now: ctx.now() }),

    'playbooks.import': ({ cacao, id, source }): PlaybookImport => {
      const actor = ctx.human();
      let document: unknown;
      try {
        document = JSON.parse(cacao);
      } catch (e) {
        throw new FirebreakError('bad-input', `The CACAO playbook is not valid JSON: ${(e as Error).message}.`);
      }
      const converted = importCacao(document, id ? { id } : {});
      const playbookId = String(converted.data.id);
      const existing = ctx.playbooks.get(playbookId);
      const path = join(importDir, `${playbookId}.yaml`);
      if (existing || existsSync(path)) {
        throw new FirebreakError(
          'conflict',
          `A playbook with id "${playbookId}" already exists (${existing?.path ?? path}). Import it under another id (--id).`,
        );
      }
      const yaml = playbookToYaml(converted.data, [
        `Imported from CACAO playbook ${String((document as { id?: unknown }).id ?? '')}${source ? ` (${source})` : ''} on ${ctx.now().toISOString()}.`,
        `Check it with: firebreak lint ${path}`,
      ]);
      const { problems } = lintPlaybookText(yaml, { catalog: ctx.playbooks.catalog() });
      const hash = sha256(yaml);
      const entry = {
        scope: SYSTEM_SCOPE,
        action: 'playbook.imported',
        subject: playbookId,
        payload: { path, sha256: hash, source: source ?? null, lossless: converted.lossless, problems: problems.length, notes: converted.notes },
      };
      return ctx.change(actor, entry, () => {
        // Written inside the transaction: if the file cannot be written, the ledger entry is rolled back with it.
        mkdirSync(importDir, { recursive: true });
        writeFileSync(path, yaml, { encoding: 'utf8', flag: 'wx' });
        return {
          id: playbookId,
          title: String(converted.data.title),
          path,
          sha256: hash,
          lossless: converted.lossless,
          notes: converted.notes,
          problems,
        };
      });
    },
  };
}
