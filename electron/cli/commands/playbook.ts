import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { PlaybookSummary } from '../../shared/domain';
import { type CliEnv, CliExit, EXIT, packageRoot } from '../env';
import { readInput, writeOutput } from '../files';
import { playbookOutline } from '../format/playbook';

export function formatPlaybookTable(playbooks: PlaybookSummary[]): string {
  if (playbooks.length === 0) return 'No playbooks.\n';
  const rows = playbooks.map((p) => [p.id, p.version, p.severity, p.title]);
  const head = ['ID', 'VERSION', 'SEVERITY', 'TITLE'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** `firebreak lint` and `firebreak playbook list|show|export|import|schema`. */
export function registerPlaybookCommands(program: Command, env: CliEnv): void {
  program
    .command('lint')
    .description('validate playbooks; every problem as file:line:col: message (exit 1), exit 2 when a path cannot be read')
    .argument('[paths...]', 'playbook files or folders (default: playbooks/)')
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: { json?: boolean }) => {
      const targets = paths.length ? paths : [existsSync('playbooks') ? 'playbooks' : resolve(packageRoot, 'playbooks')];
      const run = await env.call('playbooks.lintFiles', { paths: targets }, { scratch: true });
      const { formatProblem } = await import('../../shared/playbook/lint');
      const problems = run.files.reduce((n, f) => n + f.problems.length, 0);
      if (o.json) {
        env.json({ ok: problems === 0 && run.unreadable.length === 0, files: run.files, unreadable: run.unreadable });
      } else {
        for (const f of run.files) for (const p of f.problems) env.io.out(`${formatProblem(f.file, p)}\n`);
        const bad = run.files.filter((f) => f.problems.length).length;
        const n = run.files.length;
        env.io.err(
          problems
            ? `${problems} problem${problems === 1 ? '' : 's'} in ${bad} of ${n} playbook${n === 1 ? '' : 's'}\n`
            : `${n} playbook${n === 1 ? '' : 's'} checked, no problems\n`,
        );
      }
      if (run.unreadable.length) {
        throw new CliExit(EXIT.usage, run.unreadable.map((u) => `firebreak: cannot read ${u.path}: ${u.reason}`).join('\n'));
      }
      if (problems) throw new CliExit(EXIT.problem, '');
    });

  const playbook = program.command('playbook').description('list, show, export and import playbooks');

  playbook
    .command('list')
    .description('list the playbooks of the library (shipped, then imported)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await env.call('playbooks.list', {});
      if (o.json) return env.json(list);
      env.io.out(formatPlaybookTable(list));
      const rejected = await env.call('playbooks.problems', {});
      if (rejected.length) {
        env.io.err(`${rejected.length} playbook file(s) left out because of problems; see: firebreak lint ${rejected.map((r) => r.path).join(' ')}\n`);
      }
    });

  playbook
    .command('show')
    .description('show a playbook: phases, steps, commands, controls and gates')
    .argument('<id>', 'playbook id, e.g. agent-destructive-action')
    .option('--json', 'print JSON (the parsed playbook and its control titles)')
    .action(async (id: string, o: { json?: boolean }) => {
      const detail = await env.call('playbooks.get', { id });
      if (o.json) return env.json(detail);
      env.io.out(playbookOutline(detail));
    });

  playbook
    .command('export')
    .description('export a playbook as an OASIS CACAO v2.0 document')
    .argument('<id>', 'playbook id')
    .requiredOption('--format <format>', 'export format: cacao')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (id: string, o: { format: string; out?: string }) => {
      if (o.format !== 'cacao') throw new CliExit(EXIT.usage, `firebreak: unknown export format "${o.format}"; the only format is cacao`);
      const document = await env.call('playbooks.export', { id, format: 'cacao' });
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (o.out) writeOutput(o.out, text);
      else env.io.out(text);
    });

  playbook
    .command('import')
    .description('import a CACAO v2.0 playbook into the data directory; exit 1 when the result needs fixing')
    .argument('<file>', 'the CACAO playbook (JSON)')
    .option('--id <id>', 'save it under this playbook id')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { id?: string; json?: boolean }) => {
      const cacao = readInput(file);
      const result = await env.call('playbooks.import', { cacao, source: resolve(file), ...(o.id ? { id: o.id } : {}) });
      const { formatProblem } = await import('../../shared/playbook/lint');
      if (o.json) env.json(result);
      else {
        env.io.out(`imported ${result.id} -> ${result.path}\n`);
        for (const note of result.notes) env.io.out(`  note: ${note}\n`);
        for (const p of result.problems) env.io.out(`${formatProblem(result.path, p)}\n`);
      }
      if (result.problems.length) {
        throw new CliExit(EXIT.problem, `firebreak: the imported playbook has ${result.problems.length} problem(s); fix them and run firebreak lint ${result.path}`);
      }
    });

  playbook
    .command('schema')
    .description('print the JSON Schema of the playbook format (committed as playbooks/playbook.schema.json)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (o: { out?: string }) => {
      // The schema is part of the contract (electron/shared), not of core: no core is opened for it.
      const { playbookJsonSchemaText } = await import('../../shared/playbook/json-schema');
      if (o.out) writeOutput(o.out, playbookJsonSchemaText());
      else env.io.out(playbookJsonSchemaText());
    });
}
