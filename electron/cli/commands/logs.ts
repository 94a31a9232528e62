import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT } from '../env';
import { formatLogsImport, formatLogsPull, formatLogsScan } from '../format/logs';

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

  logs
    .command('import')
    .description('import audit-log files of any of the three clouds into an incident: each file becomes evidence, the findings go to Detection & Analysis')
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .argument('<path...>', 'log files or folders (.json, .jsonl, .gz)')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, paths: string[], o: { json?: boolean }) => {
      const result = await env.call('logs.import', { incidentId, paths }, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(formatLogsImport(result));
      const bad = result.files.filter((f) => f.status === 'failed' || f.status === 'partial');
      if (bad.length) throw new CliExit(EXIT.usage, bad.map((f) => `firebreak: ${f.path}: ${f.reason}`).join('\n'));
    });

  logs
    .command('pull')
    .description(
      "pull an Azure subscription's activity log (Azure Monitor) or a GCP project's Cloud Audit Logs (Cloud Logging) into an incident: each page becomes evidence, the calls are stored as by logs import; resumes an interrupted pull",
    )
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .requiredOption('--cloud <cloud>', 'azure or gcp (CloudTrail: cloudtrail pull)')
    .option('--subscription <id>', 'Azure: the subscription id (credentials: DefaultAzureCredential, e.g. az login or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET)')
    .option('--project <id>', 'GCP: the project id (credentials: application default credentials, e.g. gcloud auth application-default login)')
    .option('--resource-group <name>', 'Azure: only this resource group')
    .option('--caller <id>', "only this caller: Azure caller (UPN, app or object id), GCP principal email")
    .option('--start <iso>', 'start of the window (default: 90 days before the end)')
    .option('--end <iso>', 'end of the window (default: now)')
    .option('--endpoint <url>', 'Azure Resource Manager or Cloud Logging address instead of the public one (Azure Stack Hub, tests)')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { cloud: string; subscription?: string; project?: string; resourceGroup?: string; caller?: string; start?: string; end?: string; endpoint?: string; json?: boolean }) => {
      const cloud = (['azure', 'gcp'] as const).find((c) => c === o.cloud);
      if (!cloud) throw new CliExit(EXIT.usage, `firebreak: --cloud is azure or gcp, not "${o.cloud}" (CloudTrail: firebreak cloudtrail pull)`);
      const input = {
        incidentId,
        cloud,
        ...(o.subscription ? { subscription: o.subscription } : {}),
        ...(o.project ? { project: o.project } : {}),
        ...(o.resourceGroup ? { resourceGroup: o.resourceGroup } : {}),
        ...(o.caller ? { caller: o.caller } : {}),
        ...(o.start ? { start: o.start } : {}),
        ...(o.end ? { end: o.end } : {}),
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      };
      const result = await env.call('logs.pull', input, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(formatLogsPull(result));
      if (result.collection.status === 'failed') throw new CliExit(EXIT.usage, `firebreak: the pull did not read every page:\n  ${result.collection.errors.join('\n  ')}`);
    });
}
