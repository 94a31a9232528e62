import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT } from '../env';
import { formatIncidentTraces, formatTraceImport, formatTraceScan } from '../format/trace';

const collect = (value: string, previous: string[]) => [...previous, value];
const commaList = (value: string, previous: string[]) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerTraceCommands(program: Command, env: CliEnv): void {
  const trace = program.command('trace').description("the agent's decision chain: OTLP GenAI spans and LangSmith runs, tied to cloud events");

  trace
    .command('scan')
    .description('read agent traces (OTLP JSON, LangSmith runs) and tie each tool call to the cloud events and database changes that followed it, without storing anything')
    .argument('<file...>', 'trace files: OTLP JSON (one request or JSON lines), LangSmith runs (exported, or SDK batches)')
    .option('--logs <path...>', 'logs of the same period: CloudTrail, Azure Activity Log, GCP Cloud Audit Logs (files or folders); database logs: mariadb-binlog -vv text, PostgreSQL csvlog or stderr (pgaudit too)', [] as string[])
    .option('--tools <names>', "the tools the agent was meant to use, comma-separated (repeatable)", commaList, [] as string[])
    .option('--agent <id>', 'an agent identity: ARN or role name, Azure app id, GCP service account (repeatable)', collect, [] as string[])
    .option('--freeze-start <datetime>', 'start of a declared change freeze (ISO 8601; no zone means UTC)')
    .option('--freeze-end <datetime>', 'end of the change freeze')
    .option('--json', 'print JSON')
    .action(async (files: string[], o: { logs: string[]; tools: string[]; agent: string[]; freezeStart?: string; freezeEnd?: string; json?: boolean }) => {
      const freeze = { ...(o.freezeStart ? { freezeStart: o.freezeStart } : {}), ...(o.freezeEnd ? { freezeEnd: o.freezeEnd } : {}) };
      const report = await env.call('trace.scan', { paths: files, logs: o.logs, tools: o.tools, agents: o.agent, ...freeze }, { scratch: true });
      if (o.json) env.json(report);
      else env.io.out(formatTraceScan(report));
      const failed = report.files.filter((f) => f.status !== 'ok');
      if (failed.length) {
        const lines = failed.map((f) => `firebreak: ${f.path}: ${f.reason ?? f.status}`);
        throw new CliExit(EXIT.usage, `${lines.join('\n')}\nfirebreak: ${failed.length} of ${report.files.length} files could not be read in full; the others were analysed`);
      }
    });

  trace
    .command('import')
    .description("take agent trace files into an incident as evidence and record its decision chain, tied to the incident's cloud events (all clouds) and database statements, whenever they are imported")
    .argument('<incident>', 'incident id')
    .argument('<file...>', 'trace files: OTLP JSON (one request or JSON lines), LangSmith runs (exported, or SDK batches)')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, files: string[], o: { json?: boolean }) => {
      const imported = await env.call('trace.import', { incidentId, paths: files });
      if (o.json) env.json(imported);
      else env.io.out(formatTraceImport(imported));
    });

  trace
    .command('show')
    .description("the incident's imported decision chain: every run as a tree, each tool call with the cloud events and database changes tied to it now")
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { json?: boolean }) => {
      const chain = await env.call('trace.chain', { incidentId });
      if (o.json) env.json(chain);
      else env.io.out(formatIncidentTraces(chain));
    });
}
