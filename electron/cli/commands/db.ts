import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RunProgress, ValidationRun } from '../../shared/validation';
import { type CliEnv, CliExit, EXIT } from '../env';
import { registerDbLogCommands } from './db-log';
import { formatClassify, formatRowDiff } from '../format/row-diff';
import { formatBackupCheck, formatCompare, formatDatabaseCheck } from '../format/validation';
import { baselineRunOf, passwordFromEnv, recordedLine, runInIncident } from './db-incident';

/**
 * A compare, backup check, diff or classification recorded in an incident, printed as outside one (plus what was
 * recorded); exit 1 on a problem.
 */
async function printRecorded(env: CliEnv, r: ValidationRun, json: boolean): Promise<void> {
  const body = await env.call('validation.result', { runId: r.id });
  const recorded = { run: r.id, evidenceId: r.evidenceId };
  if (body.kind === 'compare') {
    if (json) env.json({ ...body.result, ...recorded });
    else env.io.out(formatCompare(body.result) + recordedLine(r));
    if (!body.result.match) throw new CliExit(EXIT.problem, '');
  } else if (body.kind === 'check-backup') {
    if (json) env.json({ ...body.check, ...recorded });
    else env.io.out(formatBackupCheck(body.check) + recordedLine(r));
    if (!body.check.ok) throw new CliExit(EXIT.problem, '');
  } else if (body.kind === 'diff') {
    if (json) env.json({ ...body.diff, ...recorded });
    else env.io.out(formatRowDiff(body.diff) + recordedLine(r));
    if (!body.diff.match) throw new CliExit(EXIT.problem, '');
  } else if (body.kind === 'classify') {
    if (json) env.json({ ...body.classify, ...recorded });
    else env.io.out(formatClassify(body.classify) + recordedLine(r));
    const unread = body.classify.tables.filter((t) => t.error);
    if (unread.length) throw new CliExit(EXIT.problem, `firebreak: ${unread.length} table(s) could not be classified.`);
  }
}

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

/** Progress of a diff or classification on stderr: one line per table as it is done (they count no rows). */
function tablePrinter(env: CliEnv): (p: RunProgress) => void {
  const printed = new Set<string>();
  return (p) => {
    for (const t of p.tables) {
      if ((t.state === 'done' || t.state === 'error') && !printed.has(t.table)) {
        printed.add(t.table);
        env.io.err(`[${printed.size}/${p.tablesTotal}] ${t.table}${t.state === 'error' ? `: ERROR ${t.message ?? ''}` : ''}\n`);
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
  // In an incident the core never reads the environment: the CLI hands over its user's PGPASSWORD / MYSQL_PWD.
  const incidentTarget = (url: string) => {
    const password = passwordFromEnv(url);
    return { url, ...(password !== undefined ? { password } : {}) };
  };

  db.command('baseline')
    .description('capture row counts, content checksums and schema fingerprints of every user table into a manifest')
    .argument('<url>', 'postgres://user@host:5432/db, mysql://user@host:3306/db, sqlite:PATH or dynamodb://REGION[/TABLE][?endpoint=URL&profile=P&segments=N] (password: in the URL, PGPASSWORD or MYSQL_PWD; AWS: the default credential chain)')
    .option('--table <name>', 'only this table (repeatable; schema.table on PostgreSQL)', collect, [] as string[])
    .option('--schema <name>', 'only tables in this schema (repeatable; PostgreSQL)', collect, [] as string[])
    .option('--out <file>', 'where to write the baseline manifest (JSON); needed without --incident')
    .option('--incident <id>', 'record the baseline in this incident, as the Validation tab does (kept as evidence)')
    .option('--step <id>', "the step it completes (default: the playbook's baseline step)")
    .option('--json', 'print a JSON summary')
    .action(async (url: string, o: { table: string[]; schema: string[]; out?: string; incident?: string; step?: string; json?: boolean }) => {
      if (o.incident) {
        const r = await runInIncident(env, o.incident, 'baseline', o.step, (linkedSteps) => ({ target: incidentTarget(url), tables: o.table, schemas: o.schema, linkedSteps }), progressPrinter(env));
        const body = await env.call('validation.result', { runId: r.id });
        if (o.out && 'manifest' in body) writeAtomically(resolve(o.out), `${JSON.stringify(body.manifest, null, 2)}\n`);
        if (o.json) env.json({ ...r, ...('manifest' in body ? { tables: body.manifest.tables.length } : {}) });
        else env.io.out(recordedLine(r));
        return;
      }
      if (!o.out) throw new CliExit(EXIT.usage, 'firebreak: give --out <file> (or --incident <id> to record the baseline in an incident)');
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
    .requiredOption('--baseline <file>', 'a baseline manifest from `db baseline`, or a CSV of table,rows; with --incident also a baseline run id (VR-000001)')
    .option('--incident <id>', 'record the compare in this incident, as the Validation tab does (a baseline file is imported first)')
    .option('--step <id>', "the step it completes (default: the playbook's compare step)")
    .option('--json', 'print JSON: {"match", "tables": [{"table", "status", "baselineRows", "actualRows", ...}]}')
    .action(async (url: string, o: { baseline: string; incident?: string; step?: string; json?: boolean }) => {
      if (o.incident) {
        const incidentId = o.incident;
        const baselineRunId = await baselineRunOf(env, incidentId, o.baseline, o.step);
        const r = await runInIncident(env, incidentId, 'compare', o.step, (linkedSteps) => ({ target: incidentTarget(url), baselineRunId, linkedSteps }), o.json ? undefined : progressPrinter(env));
        return printRecorded(env, r, Boolean(o.json));
      }
      const result = await env.call(
        'validation.compareBaseline',
        { target: target(url), baseline: resolve(o.baseline) },
        { scratch: true, ...(o.json ? {} : { onProgress: progressPrinter(env) }) },
      );
      if (o.json) env.json(result);
      else env.io.out(formatCompare(result));
      if (!result.match) throw new CliExit(EXIT.problem, '');
    });

  db.command('diff')
    .description('row-level diff of two databases by primary key: rows missing from the actual, extra and changed; exit 1 on any difference')
    .argument('<reference-url>', 'the reference: the backup, restored to a scratch database')
    .argument('<actual-url>', 'the database to check (damaged or restored production); any engine against any engine')
    .option('--table <name>', 'only this table (repeatable)', collect, [] as string[])
    .option('--keys-out <dir>', 'write one CSV of the differing keys per table into this directory')
    .option('--classify', 'classify the reference too: personal data categories of each table and the data subjects its lost rows touch')
    .option('--incident <id>', "record the diff as a run of this incident, as the wizard's Diff does: key lists and result kept as evidence (instead of --keys-out)")
    .option('--step <id>', 'with --incident: the step or evidence artifact the run completes (default: none)')
    .option('--json', 'print JSON: {"match", "tables": [{"table", "missing", "extra", "changed", "keysFile", ...}]}')
    .action(async (referenceUrl: string, actualUrl: string, o: { table: string[]; keysOut?: string; classify?: boolean; incident?: string; step?: string; json?: boolean }) => {
      if (o.incident && o.keysOut) throw new CliExit(EXIT.usage, 'firebreak: --incident keeps the key lists as evidence; leave out --keys-out, or run without --incident.');
      if (o.step && !o.incident) throw new CliExit(EXIT.usage, 'firebreak: --step names where a run of an incident is recorded; give --incident too.');
      if (o.incident) {
        const start = (linkedSteps: string[]) => ({
          reference: incidentTarget(referenceUrl),
          actual: incidentTarget(actualUrl),
          tables: o.table,
          ...(o.classify ? { classify: true } : {}),
          linkedSteps,
        });
        const r = await runInIncident(env, o.incident, 'diff', o.step, start, tablePrinter(env));
        return printRecorded(env, r, Boolean(o.json));
      }
      let last = '';
      // One stderr line per table as it starts, so stdout stays clean for --json and pipes.
      const onProgress = (p: { currentTable: string | null; tablesDone: number; tablesTotal: number }) => {
        if (p.currentTable && p.currentTable !== last) env.io.err(`[${p.tablesDone + 1}/${p.tablesTotal}] ${(last = p.currentTable)}\n`);
      };
      const input = { reference: target(referenceUrl), actual: target(actualUrl), tables: o.table, ...(o.classify ? { classify: true } : {}) };
      const result = await env.call('validation.diff', { ...input, ...(o.keysOut ? { keysOut: resolve(o.keysOut) } : {}) }, { scratch: true, onProgress });
      if (o.json) env.json(result);
      else env.io.out(formatRowDiff(result));
      if (!result.match) throw new CliExit(EXIT.problem, '');
    });

  db.command('classify')
    .description('which columns hold personal data (email, phone, names, SSN, payment cards by Luhn, IBAN, birth dates, IPs, health terms) and whose data each table is')
    .argument('<url>', 'the database (the reference, to see what the lost rows held)')
    .option('--table <name>', 'only this table (repeatable)', collect, [] as string[])
    .option('--sample <rows>', 'rows whose values are looked at per table (default 200); values are never printed or kept', (v: string) => {
      if (!/^\d+$/.test(v)) throw new CliExit(EXIT.usage, `firebreak: --sample takes a number of rows, got "${v}"`);
      return Number(v);
    })
    .option('--incident <id>', "record the classification as a run of this incident, as the wizard's Personal data does (kept as evidence)")
    .option('--step <id>', 'with --incident: the step or evidence artifact the run completes (default: none)')
    .option('--json', 'print JSON: {"tables": [{"table", "columns": [{"column", "categories"}], "rows", "classes", "subjects"}]}')
    .action(async (url: string, o: { table: string[]; sample?: number; incident?: string; step?: string; json?: boolean }) => {
      if (o.step && !o.incident) throw new CliExit(EXIT.usage, 'firebreak: --step names where a run of an incident is recorded; give --incident too.');
      if (o.incident) {
        const start = (linkedSteps: string[]) => ({ target: incidentTarget(url), tables: o.table, ...(o.sample !== undefined ? { sample: o.sample } : {}), linkedSteps });
        const r = await runInIncident(env, o.incident, 'classify', o.step, start, tablePrinter(env));
        return printRecorded(env, r, Boolean(o.json));
      }
      const result = await env.call(
        'validation.classify',
        { target: target(url), tables: o.table, ...(o.sample !== undefined ? { sample: o.sample } : {}) },
        { scratch: true },
      );
      if (o.json) env.json(result);
      else env.io.out(formatClassify(result));
      const unread = result.tables.filter((t) => t.error);
      if (unread.length) throw new CliExit(EXIT.problem, `firebreak: ${unread.length} table(s) could not be classified.`);
    });

  db.command('check-backup')
    .description("check a backup file: SHA-256 against the recorded value, pg_restore --list of a PostgreSQL dump, completion line and balanced statements of a plain SQL dump, SQLite integrity_check; an unknown format is a problem")
    .argument('<file>', 'the backup file')
    .option('--sha256 <hex>', 'the SHA-256 recorded when the backup was made')
    .option('--incident <id>', 'record the check in this incident, as the Validation tab does')
    .option('--step <id>', 'the step or artifact it completes (default: the backup validation records)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { sha256?: string; incident?: string; step?: string; json?: boolean }) => {
      if (o.incident) {
        const path = resolve(file);
        const r = await runInIncident(env, o.incident, 'check-backup', o.step, (linkedSteps) => ({ path, ...(o.sha256 !== undefined ? { expectedSha256: o.sha256 } : {}), linkedSteps }));
        return printRecorded(env, r, Boolean(o.json));
      }
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
