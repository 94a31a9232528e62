import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';
import { extract } from '../reports/zip-tools';

const bash = (script: string, cwd: string) => spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });

describe("a bundle's offline checks catch a planted file", () => {
  const dir = tempDir('fb-rel-file-set-');
  afterAll(() => dir.cleanup());
  const dd = ['--data-dir', join(dir.path, 'data')];

  it('VERIFY.txt and the reviewer guide compare the files with SHA256SUMS, which sha256sum -c alone does not', async () => {
    const id = (await runFirebreak([...dd, 'incident', 'new', '--playbook', 'agent-destructive-action'])).stdout.trim();
    const zip = join(dir.path, 'case.zip');
    expect((await runFirebreak([...dd, 'bundle', id, '--out', zip])).code).toBe(0);
    await extract(zip, join(dir.path, 'x'));
    const root = join(dir.path, 'x', `${id}-case-bundle`);

    const verifyTxt = readFileSync(join(root, 'VERIFY.txt'), 'utf8');
    const command = verifyTxt.split('\n').find((l) => l.trim().startsWith('diff <(find'))?.trim() as string;
    expect(command).toContain('SHA256SUMS');
    // The reviewer guide gives the same line.
    expect(readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'reviewer-guide.md'), 'utf8')).toContain(command);

    const intact = bash(command, root);
    expect(intact.stdout.trim()).toBe('exactly the listed files');
    expect(intact.status).toBe(0);

    writeFileSync(join(root, 'reports', 'addendum.html'), '<p>The agent was authorised.</p>\n');
    expect(bash('sha256sum -c SHA256SUMS', root).status).toBe(0);
    const planted = bash(command, root);
    expect(planted.status).not.toBe(0);
    expect(planted.stdout).toContain('< reports/addendum.html');
    expect(planted.stdout).not.toContain('exactly the listed files');
  }, 120_000);
});
