import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

/** `firebreak` run as a user outside the checkout would: from another folder, with that folder's own tsconfig.json. */
const runFrom = (cwd: string, args: string[]) =>
  // The sources, compiled on the fly, are what picked up the current folder's settings.
  runFirebreak(args, { FIREBREAK_FROM_SOURCES: '1' }, undefined, cwd);

describe('the CLI run from a folder outside the checkout', () => {
  const dir = tempDir('fb-rel-any-folder-');
  afterAll(() => dir.cleanup());
  // A project of the user's own, whose JSX setting the CLI must not borrow.
  writeFileSync(join(dir.path, 'tsconfig.json'), JSON.stringify({ compilerOptions: { jsx: 'preserve', module: 'CommonJS' } }));
  const dd = ['--data-dir', join(dir.path, 'data')];

  it('writes an HTML report and a bundle, and verifies the bundle as intact', async () => {
    const opened = await runFrom(dir.path, [...dd, 'incident', 'new', '--playbook', 'agent-destructive-action']);
    expect(opened.stderr).toBe('');
    const id = opened.stdout.trim();

    const report = await runFrom(dir.path, [...dd, 'report', id, '--kind', 'incident', '--format', 'html', '--out', 'report.html']);
    expect(report.stderr).not.toContain('failed');
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir.path, 'report.html'), 'utf8')).toContain(id);

    const bundle = await runFrom(dir.path, [...dd, 'bundle', id, '--out', 'case.zip']);
    expect(bundle.stderr).not.toContain('failed');
    expect(bundle.code).toBe(0);

    const verify = await runFrom(dir.path, ['verify', 'case.zip']);
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toContain(`the case bundle of ${id} is intact`);
    expect(verify.code).toBe(0);
  }, 180_000);
});
