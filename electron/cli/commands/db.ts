import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RunProgress } from '../../shared/validation';
import { type CliEnv, CliExit, EXIT } from '../env';
import { registerDbLogCommands } from './db-log';
import { formatBackupCheck, formatCompare, formatDatabaseCheck } from '../format/validation';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Progress on stderr, one line per finished table, so stdout stays clean for --json and pipes. */
function progressPrinter(env: CliEnv): (p: RunProgress) => void {
  const printed = new Set<string>();
  return (p) => {
    for (const t of p.tables) {
      if ((t.state === 'done' || t.state === 'error') && !printed.has(t.table)) {
        printed.add(t.table);
        const n = printed.size;
        const what = t.state === 'done' ? `${t.rows ?? 0} rows` : `ERROR ${t.message ?? ''}`;
        env.io.err(`[${n}/${p.tablesTotal}] ${t.table}: ${what}\n`);
      }
    }
  };
}

/** Written whole or not at all: a temporary file beside the target, renamed over it. */
function writeAtomically(out: string, body: string): void {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, body, { mode: 0o600 });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliExit(EXIT.usage, `firebreak: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function registerDbCommands(program: Command, env: CliEnv): void {
  const db = program
    .command('db')
    .description('validate restored databases: baselines, compares, backup and integrity checks (URL: postgres://..., mysql://..., sqlite:PATH, dynamodb://REGION[/TABLE])');
  // Outside any incident nothing is recorded: these run on a scratch core and never open the data directory.
  const target = (url: string) => ({ url });

  db.command('baseline')
    .description('capture row counts, content checksums and schema fingerprints of every user table into a manifest')
    .argument('<url>', 'postgres://user@host:5432/db, mysql://user@host:3306/db, sqlite:PATH or dynamodb://REGION[/TABLE][?endpoint=URL&profile=P&segments=N] (password: in the URL, PGPASSWORD or MYSQL_PWD; AWS: the default credential chain)')
    .option('--table <name>', 'only this table (repeatable; schema.table on PostgreSQL)', collect, [] as string[])
    .option('--schema <name>', 'only tables in this schema (repeatable; PostgreSQL)', collect, [] as string[])
    .requiredOption('--out <file>', 'where to write the baseline manifest (JSON)')
    .option('--json', 'print a JSON summary')
    .action(async (url: string, o: { table: string[]; schema: string[]; out: string; json?: boolean }) => {
      const out = resolve(o.out);
      const { manifest, text, sha256 } = await env.call(
        'validation.captureBaseline',
        { target: target(url), tables: o.table, schemas: o.schema },
        { scratch: true, onProgress: progressPrinter(env) },
      );
      writeAtomically(out, text);
      const unread = manifest.tables.filter((t) => t.error);
      const rows = manifest.tables.reduce((s, t) => s + (t.rows ?? 0), 0);
      if (o.json) env.json({ file: out, sha256, engine: manifest.engine, tables: manifest.tables.length, rows, unreadable: unread.map((t) => ({ table: t.table, error: t.error })) });
      else env.io.out(`Baseline of ${manifest.tables.length} tables (${rows} rows) from ${manifest.target} written to ${out}\nsha256 ${sha256}\n`);
      if (unread.length) {
        throw new CliExit(EXIT.problem, `firebreak: ${unread.length} table(s) could not be read and have no baseline:\n${unread.map((t) => `  ${t.table}: ${t.error}`).join('\n')}`);
      }
    });

  db.command('compare')
    .description('compare a database with a baseline (a manifest or a CSV of table,rows); exit 1 on any mismatch')
    .argument('<url>', 'the restored database')
    .requiredOption('--baseline <file>', 'a baseline manifest from `db baseline`, or a CSV of table,rows')
    .option('--json', 'print JSON: {"match", "tables": [{"table", "status", "baselineRows", "actualRows", ...}]}')
    .action(async (url: string, o: { baseline: string; json?: boolean }) => {
      const result = await env.call(
        'validation.compareBaseline',
        { target: target(url), baseline: resolve(o.baseline) },
        { scratch: true, ...(o.json ? {} : { onProgress: progressPrinter(env) }) },
      );
      if (o.json) env.json(result);
      else env.io.out(formatCompare(result));
      if (!result.match) throw new CliExit(EXIT.problem, '');
    });

  db.command('check-backup')
    .description("check a backup file: SHA-256 against the recorded value, pg_restore --list of a PostgreSQL dump, completion line and balanced statements of a plain SQL dump, SQLite integrity_check; an unknown format is a problem")
    .argument('<file>', 'the backup file')
    .option('--sha256 <hex>', 'the SHA-256 recorded when the backup was made')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { sha256?: string; json?: boolean }) => {
      const check = await env.call('validation.checkBackup', { path: resolve(file), ...(o.sha256 !== undefined ? { expectedSha256: o.sha256 } : {}) }, { scratch: true });
      if (o.json) env.json(check);
      else env.io.out(formatBackupCheck(check));
      if (!check.ok) throw new CliExit(EXIT.problem, '');
    });

  db.command('check')
    .description('run the engine integrity check on a live database (SQLite integrity_check, MariaDB CHECK TABLE, PostgreSQL read-through)')
    .argument('<url>', 'the database')
    .option('--table <name>', 'only this table (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (url: string, o: { table: string[]; json?: boolean }) => {
      const check = await env.call('validation.checkTarget', { target: target(url), tables: o.table }, { scratch: true });
      if (o.json) env.json(check);
      else env.io.out(formatDatabaseCheck(check));
      if (!check.ok) throw new CliExit(EXIT.problem, '');
    });

  registerDbLogCommands(db, env);
}
