// Writes docs/cli.md from the CLI's own help text, so the reference cannot drift from the code.
// `npm run docs:cli` regenerates it; test/unit/cli-reference.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliEnv, packageRoot } from '../electron/cli/env';
import { buildProgram } from '../electron/cli/main';

export function cliReference(): string {
  const env = new CliEnv({ out: () => {}, err: () => {} }, {}, () => ({}));
  const program = buildProgram(env);
  // Help wraps at the terminal width; fix it so the file is the same everywhere.
  const fixWidth = (c: Command) => {
    c.configureOutput({ getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 });
    c.commands.forEach(fixWidth);
  };
  fixWidth(program);
  const parts = [
    '# firebreak command reference',
    '',
    'Generated from `firebreak --help` by `npm run docs:cli`; do not edit by hand.',
    '',
    'Global options go before the command: `firebreak [--data-dir DIR] [--actor NAME] [--role ROLE] COMMAND`.',
    'Exit codes: 0 ok, 1 a check found a problem (mismatch, tamper, gate not met), 2 bad usage or unreadable input.',
    '',
  ];
  const walk = (c: Command, path: string[]) => {
    const name = [...path, c.name()].join(' ');
    parts.push(`## ${name}`, '', '```', c.helpInformation().trimEnd(), '```', '');
    for (const sub of c.commands) {
      if (sub.name() !== 'help') walk(sub, [...path, c.name()]);
    }
  };
  walk(program, []);
  return `${parts.join('\n').trimEnd()}\n`;
}

if (process.argv[1]?.endsWith('cli-reference.ts')) {
  writeFileSync(join(packageRoot, 'docs', 'cli.md'), cliReference());
  console.log('wrote docs/cli.md');
}
