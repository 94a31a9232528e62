import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';

/** The folder boundaries of STYLE.md are lint rules; this proves the rules bite (and do not bite allowed imports). */
const eslint = new ESLint({ cwd: repoRoot });

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${code}\nexport const use = x;\n`, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
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
  ])('%s may not %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(true);
  });

  it.each([
    ['electron/core/any.ts', "import x from '../shared/domain';"],
    ['electron/core/any.ts', "import x from 'node:fs';"],
    ['electron/shared/contract/any.ts', "import x from '../domain';"],
    ['renderer/src/any.ts', "import x from '../../electron/shared/domain';"],
    ['electron/main/any.ts', "import x from 'electron';"],
  ])('%s may %s', async (file, code) => {
    expect(await restricted(file, code)).toBe(false);
  });
});
