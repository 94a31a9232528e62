import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

describe('custody of a file given through a symbolic link', () => {
  const dir = tempDir('fb-rel-symlink-');
  afterAll(() => dir.cleanup());
  const dd = ['--data-dir', join(dir.path, 'data')];

  it('records the file the link resolved to, not the link', async () => {
    const id = (await runFirebreak([...dd, 'incident', 'new', '--playbook', 'agent-destructive-action'])).stdout.trim();
    mkdirSync(join(dir.path, 'exports'));
    mkdirSync(join(dir.path, 'latest'));
    writeFileSync(join(dir.path, 'exports', 'orders-2026-05-01.csv'), 'id,total\n1,10\n');
    const link = join(dir.path, 'latest', 'orders.csv');
    symlinkSync('../exports/orders-2026-05-01.csv', link);

    const add = await runFirebreak([...dd, 'evidence', 'add', id, link]);
    expect(add.code).toBe(0);
    // The link may be pointed at another file afterwards; the record must still say which file was read.
    const [item] = JSON.parse((await runFirebreak([...dd, 'evidence', 'list', id, '--json'])).stdout) as EvidenceItem[];
    expect(item?.originalPath).toBe(join(realpathSync(dir.path), 'exports', 'orders-2026-05-01.csv'));
  }, 60_000);
});
