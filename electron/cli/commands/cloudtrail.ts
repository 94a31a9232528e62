import type { Command } from 'commander';
import { formatDigestReport, formatImport, formatPull, formatScanReport } from '../format/cloudtrail';
import { type CliEnv, CliExit, EXIT } from '../env';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCloudtrailCommands(program: Command, env: CliEnv): void {
  const ct = program.command('cloudtrail').description('collect, import, validate and analyse CloudTrail activity');

  ct.command('scan')
    .description('analyse CloudTrail exports (.json, .json.gz, folders, AWSLogs/ trees) without storing anything')
    .argument('<path...>', 'export files or folders')
    .option('--agent <arn-or-name>', 'an agent identity: role/user ARN, role, user or session name, access key id (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: { agent: string[]; json?: boolean }) => {
      const report = await env.call('cloudtrail.scan', { paths, agents: o.agent }, { scratch: true });
      if (o.json) env.json(report);
      else env.io.out(formatScanReport(report));
      const bad = report.fileResults.filter((f) => f.status === 'failed' || f.status === 'partial');
      if (bad.length) {
        const lines = bad.map((f) => `firebreak: ${f.path}: ${f.reason}`);
        throw new CliExit(EXIT.usage, `${lines.join('\n')}\nfirebreak: ${bad.length} of ${bad.length + report.files - bad.length} files could not be read in full; the others were analysed`);
      }
      if (report.files === 0) throw new CliExit(EXIT.usage, `firebreak: no CloudTrail log files found in ${paths.join(', ')}`);
    });

  ct.command('import')
    .description("import exports into an incident: each file becomes evidence, the findings go to Detection & Analysis")
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .argument('<path...>', 'export files or folders (.json, .json.gz, AWSLogs/ trees)')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, paths: string[], o: { json?: boolean }) => {
      const result = await env.call('cloudtrail.import', { incidentId, paths }, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(formatImport(result));
      const bad = result.files.filter((f) => f.status === 'failed' || f.status === 'partial');
      if (bad.length) throw new CliExit(EXIT.usage, bad.map((f) => `firebreak: ${f.path}: ${f.reason}`).join('\n'));
    });

  const pullOptions = (c: Command) =>
    c
      .argument('<incident>', 'incident id, e.g. IR-2026-0001')
      .option('--profile <name>', 'a named AWS profile (default: the SDK default credential chain)')
      .option('--region <region>', 'a region to pull (repeatable; default: AWS_REGION)', collect, [] as string[])
      .option('--start <iso>', 'start of the window (within the last 90 days)')
      .option('--endpoint <url>', 'a CloudTrail-compatible endpoint instead of AWS')
      .option('--json', 'print JSON');
  type PullFlags = { profile?: string; region: string[]; start?: string; end?: string; endpoint?: string; json?: boolean };
  const pullInput = (incidentId: string, o: PullFlags) => ({
    incidentId,
    ...(o.region.length ? { regions: o.region } : {}),
    ...(o.start ? { start: o.start } : {}),
    ...(o.end ? { end: o.end } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  });
  pullOptions(ct.command('pull').description('collect the agent identities\' activity with LookupEvents; resumes an interrupted pull'))
    .option('--end <iso>', 'end of the window (default: now)')
    .action(async (incidentId: string, o: PullFlags) => {
      const result = await env.call('cloudtrail.pull', pullInput(incidentId, o), { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(formatPull(result));
      if (result.collection.status === 'failed') throw new CliExit(EXIT.usage, `firebreak: some lookups failed:\n  ${result.collection.errors.join('\n  ')}`);
    });

  pullOptions(ct.command('monitor').description('one check of the monitoring window: exit 1 when agent identities made destructive calls'))
    .action(async (incidentId: string, o: PullFlags) => {
      const { end: _end, ...input } = pullInput(incidentId, o);
      const check = await env.call('cloudtrail.monitoringCheck', input, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(check);
      else env.io.out(`${check.outcome.toUpperCase()}: ${check.message}\n${check.events.map((e) => `  ${e.eventTime}  ${e.eventSource}:${e.eventName}${e.errorCode ? ` [${e.errorCode}]` : ''}  ${e.principalArn}`).join('\n')}\n`);
      if (check.outcome === 'alert') throw new CliExit(EXIT.problem, '');
    });

  ct.command('verify-digests')
    .description('check CloudTrail digest signatures, their chain and the SHA-256 of every listed log file')
    .argument('<path>', 'a folder with the digest files (and their .sig files) and the log files, or one digest file')
    .requiredOption('--public-keys <file>', 'the JSON that ListPublicKeys returned (saved by `cloudtrail pull`)')
    .option('--json', 'print JSON')
    .action(async (path: string, o: { publicKeys: string; json?: boolean }) => {
      const v = await env.call('cloudtrail.verifyDigests', { path, publicKeys: o.publicKeys }, { scratch: true });
      if (o.json) env.json(v);
      else env.io.out(formatDigestReport(v));
      if (!v.ok) throw new CliExit(EXIT.problem, '');
    });
}
