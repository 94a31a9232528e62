import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT } from '../env';
import { formatDbLogImport, formatDbLogStatements } from '../format/db-log';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `firebreak db log ...`: the database's own record of what ran, as evidence and on the incident's time axis. */
export function registerDbLogCommands(db: Command, env: CliEnv): void {
  const log = db.command('log').description("a database's own log (binlog text, PostgreSQL csvlog or stderr log) as evidence and statements of an incident");

  log
    .command('import')
    .description('import `mariadb-binlog -vv --base64-output=DECODE-ROWS` output and PostgreSQL csvlog/stderr (log_statement, pgaudit) logs: each file becomes evidence; rows deleted per table are counted from row events')
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .argument('<file...>', 'log files')
    .option('--login <name>', "keep only PostgreSQL statements of this login, e.g. the agent's (repeatable)", collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (incidentId: string, paths: string[], o: { login: string[]; json?: boolean }) => {
      const result = await env.call('validation.importDbLogs', { incidentId, paths, logins: o.login }, { onProgress: (l) => env.io.err(`${l}\n`) });
      if (o.json) env.json(result);
      else env.io.out(formatDbLogImport(result));
      const bad = result.files.filter((f) => f.problem);
      if (bad.length) throw new CliExit(EXIT.usage, bad.map((f) => `firebreak: ${f.path}: ${f.problem}`).join('\n'));
    });

  log
    .command('list')
    .description("the imported statements in time order ('!' marks destructive ones)")
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .option('--destructive', 'only DELETE, UPDATE, DROP, TRUNCATE and ALTER ... DROP')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { destructive?: boolean; json?: boolean }) => {
      const page = await env.call('validation.dbLogStatements', { incidentId, destructiveOnly: Boolean(o.destructive), limit: 5000 });
      if (o.json) env.json(page);
      else env.io.out(page.statements.length ? formatDbLogStatements(page.statements) : 'No statements imported.\n');
    });
}
