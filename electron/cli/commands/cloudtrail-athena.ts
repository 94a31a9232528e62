import type { Command } from 'commander';
import { formatAthenaPlan, formatAthenaRun, formatEstimate } from '../format/athena';
import { type CliEnv, CliExit, EXIT } from '../env';

const collect = (value: string, previous: string[]) => [...previous, value];

interface AthenaFlags {
  database: string;
  table: string;
  createTable?: boolean;
  bucket?: string;
  orgId?: string;
  account: string[];
  region: string[];
  start?: string;
  end?: string;
  partitionMb?: string;
  workgroup?: string;
  output?: string;
  athenaRegion?: string;
  profile?: string;
  endpoint?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `cloudtrail athena`: the analysis pushed to Athena over the trail's bucket; nothing runs without --yes. */
export function registerCloudtrailAthenaCommand(program: Command, env: CliEnv): void {
  const ct = program.commands.find((c) => c.name() === 'cloudtrail');
  if (!ct) throw new Error('the cloudtrail command must be registered first');
  ct.command('athena')
    .description("run the analysis in Amazon Athena over the trail's S3 bucket (organisation trails too) and bring back only the matching events")
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .requiredOption('--database <db>', 'the Athena (Glue) database')
    .requiredOption('--table <t>', 'the CloudTrail table: created with --create-table, or reused when it has the same account, region and timestamp partitions')
    .option('--create-table', 'create the partition-projected CloudTrail table first (shown before it runs)')
    .option('--bucket <s3uri>', "where the trail writes AWSLogs/: s3://BUCKET[/PREFIX] (with --create-table)")
    .option('--org-id <o-id>', 'organisation id of an organisation trail (its logs sit under AWSLogs/o-.../)')
    .option('--account <id>', 'an account to query (repeatable; default: the incident\'s aws_account_id)', collect, [] as string[])
    .option('--region <region>', 'a Region to query (repeatable)', collect, [] as string[])
    .option('--start <iso>', 'start of the window (default: 30 days before the incident was opened)')
    .option('--end <iso>', 'end of the window (default: now)')
    .option('--partition-mb <mb>', 'typical size of one account-Region-day of logs, for the estimate', '100')
    .option('--workgroup <w>', 'the Athena workgroup (default: primary)')
    .option('--output <s3uri>', 'where Athena writes results, when the workgroup does not say')
    .option('--athena-region <region>', 'the Region Athena runs in (default: the first --region)')
    .option('--profile <name>', 'a named AWS profile (default: the SDK default credential chain)')
    .option('--endpoint <url>', 'an Athena-compatible endpoint instead of AWS')
    .option('--dry-run', 'print the DDL, every query and the estimate; run nothing')
    .option('--yes', 'confirm: run the queries in Athena after the estimate')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: AthenaFlags) => {
      const partitionMb = Number(o.partitionMb ?? '100');
      if (!Number.isFinite(partitionMb) || partitionMb <= 0) throw new CliExit(EXIT.usage, `firebreak: --partition-mb is a positive number of megabytes; got "${o.partitionMb}"`);
      const input = {
        incidentId,
        database: o.database,
        table: o.table,
        createTable: Boolean(o.createTable),
        regions: o.region,
        partitionMb,
        ...(o.bucket ? { bucket: o.bucket } : {}),
        ...(o.orgId ? { organizationId: o.orgId } : {}),
        ...(o.account.length ? { accounts: o.account } : {}),
        ...(o.start ? { start: o.start } : {}),
        ...(o.end ? { end: o.end } : {}),
        ...(o.workgroup ? { workgroup: o.workgroup } : {}),
        ...(o.output ? { output: o.output } : {}),
      };
      if (o.dryRun || !o.yes) {
        const plan = await env.call('athena.plan', input);
        if (o.json) env.json(plan);
        else env.io.out(o.dryRun ? formatAthenaPlan(plan) : formatEstimate(plan.estimate));
        if (!o.dryRun) throw new CliExit(EXIT.problem, 'firebreak: nothing ran in Athena: read the estimate (and --dry-run for the SQL), then run again with --yes');
        return;
      }
      const run = {
        ...input,
        confirm: true as const,
        ...(o.athenaRegion ? { athenaRegion: o.athenaRegion } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      };
      const result = await env.call('athena.run', run, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(`${formatEstimate(result.plan.estimate)}${formatAthenaRun(result)}`);
    });
}
