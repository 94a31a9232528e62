import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';

/** The folder boundaries of STYLE.md are lint rules; this proves the rules bite (and do not bite allowed imports). */
const eslint = new ESLint({ cwd: repoRoot });

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${code}\nexport const use = x;\n`, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).some(
    (m) => m.ruleId === 'no-restricted-imports' || (m.ruleId === 'no-restricted-syntax' && m.message.startsWith('adapters reach core')),
  );
}

describe('folder boundaries', () => {
  it.each([
    ['electron/core/any.ts', "import x from 'electron';"],
    ['electron/core/any.ts', "import x from '../main/main';"],
    ['electron/core/incidents/any.ts', "import x from '../../server/server';"],
    ['electron/shared/any.ts', "import x from 'node:fs';"],
    ['electron/shared/contract/any.ts', "import x from 'path';"],
    ['electron/shared/any.ts', "import x from '../core/core';"],
    ['electron/shared/any.ts', "import x from 'react';"],
    ['renderer/src/any.ts', "import x from 'node:crypto';"],
    ['renderer/src/any.ts', "import x from 'electron';"],
    ['renderer/src/any.ts', "import x from '../../electron/core/core';"],
    ['renderer/src/stores/any.ts', "import x from '../../../electron/server/server';"],
    // .tsx files of core are core too (the report templates).
    ['electron/core/reports/html/any.tsx', "import x from 'electron';"],
    ['electron/core/reports/html/any.tsx', "import x from '../../../cli/main';"],
    // The adapters reach core only through its entry, errors and paths: the rest is the Api.
    ['electron/cli/any.ts', "import x from '../core/validation/compare';"],
    ['electron/cli/any.ts', "const x = await import('../core/cloudtrail/analyse/scan-pool');"],
    ['electron/cli/commands/any.ts', "import x from '../../core/core';"],
    ['electron/cli/commands/any.ts', "const x = await import('../../core/evidence/intake');"],
    ['electron/cli/any.ts', "import type x from '../core/context';"],
    ['electron/server/any.ts', "import x from '../core/evidence/intake';"],
    ['electron/server/any.ts', "const x = await import('../core/reports/bundle/verify-bundle');"],
    ['electron/main/any.ts', "import type x from '../core/reports/pdf';"],
    ['electron/preload/any.ts', "import x from '../core/dispatch';"],
  ])('%s may not %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(true);
  });

  it.each([
    ['electron/core/any.ts', "import x from '../shared/domain';"],
    ['electron/core/any.ts', "import x from 'node:fs';"],
    ['electron/shared/contract/any.ts', "import x from '../domain';"],
    ['renderer/src/any.ts', "import x from '../../electron/shared/domain';"],
    ['electron/main/any.ts', "import x from 'electron';"],
    ['electron/cli/any.ts', "const x = await import('../core/index');"],
    ['electron/cli/any.ts', "const x = await import('../core/warm');"],
    ['electron/cli/any.ts', "import x from '../shared/contract/index';"],
    ['electron/server/any.ts', "import x from '../core/index';"],
    ['electron/main/any.ts', "import x from '../core/errors';"],
    ['electron/main/any.ts', "import x from '../core/paths';"],
    ['electron/core/reports/html/any.tsx', "import x from '../../../shared/reports';"],
  ])('%s may %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(false);
  });
});
