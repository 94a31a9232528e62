import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../../scripts/cli-reference';
import { repoRoot } from '../helpers/core';

describe('docs/cli.md', () => {
  it('is what the CLI itself says (run npm run docs:cli after changing a command)', () => {
    expect(readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8')).toBe(cliReference());
  });
});
