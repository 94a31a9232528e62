import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';

/** House rule 5 is a lint rule: SQL only in electron/core/store/ and repository files. This proves it bites. */
const eslint = new ESLint({ cwd: repoRoot });
const RULE = 'firebreak/sql-in-repositories';

async function sqlProblems(filePath: string, code: string): Promise<Array<{ line: number; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => ({ line: m.line, message: m.message }));
}

const QUERY = `import type { Db } from '../store/database';
export const titleOf = (db: Db, id: string) =>
  db.prepare('SELECT title FROM incidents WHERE id = ?').get(id);
`;

describe('SQL only in store/ and repository files', () => {
  it('flags a query in a domain file, saying where SQL belongs', async () => {
    const problems = await sqlProblems('electron/core/evidence/manifest-title.ts', QUERY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(3);
    expect(problems[0]?.message).toMatch(/store\/ or a \*repository\.ts file/);
  });

  it.each([
    ['a transaction', 'export const run = (db: Db, fn: () => void) => db.transaction(fn)();'],
    ['a pragma', "export const mode = (ctx: { db: Db }) => ctx.db.pragma('journal_mode');"],
    ['exec on the handle', "export const drop = (o: { db: Db }, sql: string) => o.db.exec(sql);"],
    ['SQL in a template', 'export const q = (cols: string) => `UPDATE incidents SET ${cols} WHERE id = ?`;'],
    ['SQL kept in a constant', "export const Q = 'DELETE FROM evidence_step_links WHERE item_id = ?';"],
  ])('flags %s outside a repository', async (_what, line) => {
    const code = `import type { Db } from '../store/database';\n${line}\n`;
    expect(await sqlProblems('electron/core/workflow/shortcut.ts', code)).not.toEqual([]);
  });

  it.each([
    'electron/core/evidence/repository.ts',
    'electron/core/cloudtrail/store/events-repository.ts',
    'electron/core/store/settings-repository.ts',
    'electron/core/store/anything.ts',
  ])('allows SQL in %s', async (file) => {
    expect(await sqlProblems(file, QUERY)).toEqual([]);
  });

  it('allows the validation adapters, and only them, to query the databases they validate', async () => {
    expect(await sqlProblems('electron/core/validation/adapters/sqlite-adapter.ts', QUERY)).toEqual([]);
    expect(await sqlProblems('electron/core/validation/adapters/any-new-engine.ts', QUERY)).toEqual([]);
    expect(await sqlProblems('electron/core/validation/baseline/compare.ts', QUERY)).not.toEqual([]);
  });

  it('does not mistake ordinary code for SQL', async () => {
    const code = [
      "export const m = /^(\\d+)$/.exec('12');",
      "export const note = 'Select the backup to restore from the list.';",
      'export const runner = { prepare: (x: string) => x };',
      "export const p = runner.prepare('input');",
      "export const line = '  PRAGMA integrity_check: ok';",
    ].join('\n');
    expect(await sqlProblems('electron/core/validation/text-report.ts', code)).toEqual([]);
  });
});
