import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliStamp, STAMP_FILE, prebuiltCli } from '../../bin/prebuilt-cli.js';
import { tempDir } from '../helpers/temp';

/** The decision bin/firebreak.js makes before anything else: run dist/cli/ or the sources. */
describe('prebuiltCli: is the bundle current?', () => {
  let dir: ReturnType<typeof tempDir>;
  const out = () => join(dir.path, 'dist', 'cli');
  const entry = () => pathToFileURL(join(out(), 'main.js')).href;
  const stamped = (path: string): CliStamp['files'][number] => {
    const s = statSync(join(dir.path, path));
    return [path, s.size, s.mtimeMs];
  };
  const writeStamp = (stamp: unknown) => writeFileSync(join(out(), STAMP_FILE), typeof stamp === 'string' ? stamp : JSON.stringify(stamp));

  beforeEach(() => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'src'));
    mkdirSync(out(), { recursive: true });
    writeFileSync(join(dir.path, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir.path, 'src', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(out(), 'main.js'), 'export const main = () => 0;\n');
    writeStamp({ format: 1, entry: 'main.js', files: ['src/a.ts', 'src/b.ts', 'dist/cli/main.js'].map(stamped) } satisfies CliStamp);
  });
  afterEach(() => dir.cleanup());

  it('names the entry while every listed file has its recorded size and mtime', () => {
    expect(prebuiltCli(dir.path)).toBe(entry());
  });

  it('says no when a source was saved again, even with the same content', () => {
    const later = new Date(statSync(join(dir.path, 'src', 'b.ts')).mtimeMs + 2_000);
    utimesSync(join(dir.path, 'src', 'b.ts'), later, later);
    expect(prebuiltCli(dir.path)).toBeNull();
  });

  it('says no when a source changed size but kept its mtime', () => {
    const { mtime } = statSync(join(dir.path, 'src', 'a.ts'));
    writeFileSync(join(dir.path, 'src', 'a.ts'), 'export const a = 10;\n');
    utimesSync(join(dir.path, 'src', 'a.ts'), mtime, mtime);
    expect(prebuiltCli(dir.path)).toBeNull();
  });

  it.each([
    ['a source', join('src', 'b.ts')],
    ['an output', join('dist', 'cli', 'main.js')],
    ['the stamp', join('dist', 'cli', STAMP_FILE)],
  ])('says no when %s is missing', (_what, path) => {
    rmSync(join(dir.path, path));
    expect(prebuiltCli(dir.path)).toBeNull();
  });

  it.each([
    ['not JSON', '{"format":1,'],
    ['another format', { format: 2, entry: 'main.js', files: [['src/a.ts', 1, 1]] }],
    ['no files', { format: 1, entry: 'main.js', files: [] }],
    ['no entry', { format: 1, files: [['src/a.ts', 1, 1]] }],
    ['a malformed file', { format: 1, entry: 'main.js', files: [[42]] }],
  ])('says no, without throwing, to a stamp that is %s', (_what, stamp) => {
    writeStamp(stamp);
    expect(prebuiltCli(dir.path)).toBeNull();
  });
});
