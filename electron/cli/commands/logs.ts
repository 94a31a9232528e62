import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT } from '../env';
import { formatLogsScan } from '../format/logs';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerLogsCommands(program: Command, env: CliEnv): void {
  const logs = program.command('logs').description('cloud audit logs of AWS (CloudTrail), Azure (Activity Log) and GCP (Cloud Audit Logs), the source detected per file');

  logs
    .command('scan')
    .description('analyse audit-log files of any of the three clouds (.json, .jsonl, .gz, folders) without storing anything')
    .argument('<path...>', 'log files or folders')
    .option('--agent <id>', 'an agent identity: ARN or role name, Azure app id or name, GCP service account email (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: { agent: string[]; json?: boolean }) => {
      const report = await env.call('logs.scan', { paths, agents: o.agent }, { scratch: true });
      if (o.json) env.json(report);
      else env.io.out(formatLogsScan(report));
      if (report.failedFiles.length) {
        const lines = report.failedFiles.map((f) => `firebreak: ${f.path}: ${f.reason}`);
        throw new CliExit(EXIT.usage, `${lines.join('\n')}\nfirebreak: ${report.failedFiles.length} of ${report.files} files could not be read in full; the others were analysed`);
      }
      if (report.files === 0) throw new CliExit(EXIT.usage, `firebreak: no audit-log files found in ${paths.join(', ')}`);
    });
}
