import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerCloudtrailCommands } from './commands/cloudtrail';
import { registerCloudtrailAthenaCommand } from './commands/cloudtrail-athena';
import { registerDbCommands } from './commands/db';
import { registerEvidenceCommands } from './commands/evidence';
import { registerIamCommands } from './commands/iam';
import { registerIncidentCommands } from './commands/incident';
import { registerLogsCommands } from './commands/logs';
import { registerTraceCommands } from './commands/trace';
import { registerPlaybookCommands } from './commands/playbook';
import { registerReportCommands } from './commands/report';
import { registerSampleCommands } from './commands/sample';
import { registerServeCommand } from './commands/serve';
import { registerSettingsCommands } from './commands/settings';
import { registerSignerCommands } from './commands/signers';
import { registerSignoffCommands } from './commands/signoff';
import { registerWorkflowCommands } from './commands/workflow';
import { CliEnv, CliExit, EXIT, type GlobalOptions, type Io, version } from './env';

/**
 * The process's own output. A reader that goes away (`firebreak ... | head`) closes the pipe: what is left to print is
 * dropped quietly, as other command-line tools do, and the command still finishes its work and sets its exit code.
 */
function processIo(): Io {
  const closed = { out: false, err: false };
  const guard = (stream: NodeJS.WriteStream, which: keyof typeof closed) => {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closed[which] = true;
    });
    return (t: string) => {
      if (!closed[which]) stream.write(t);
    };
  };
  return { out: guard(process.stdout, 'out'), err: guard(process.stderr, 'err') };
}

export function buildProgram(env: CliEnv): Command {
  const program = new Command('firebreak')
    .description('Incident-response playbook runner: guided NIST phases, hashed evidence, CloudTrail analysis, restore validation.')
    .version(version, '-V, --version')
    .option('--data-dir <dir>', 'where incidents, evidence and the ledger are kept (env FIREBREAK_DATA_DIR)')
    .option('--actor <name>', 'who is acting, recorded in the ledger (env FIREBREAK_ACTOR; default: the OS user)')
    .option('--role <role>', "the actor's role, recorded in the ledger (env FIREBREAK_ROLE; default: Operator)")
    .showHelpAfterError('(run firebreak --help for usage)')
    .configureOutput({ writeOut: env.io.out, writeErr: env.io.err });
  registerServeCommand(program, env);
  registerIncidentCommands(program, env);
  registerWorkflowCommands(program, env);
  registerPlaybookCommands(program, env);
  registerAuditCommands(program, env);
  registerSettingsCommands(program, env);
  registerEvidenceCommands(program, env);
  registerCloudtrailCommands(program, env);
  registerCloudtrailAthenaCommand(program, env);
  registerLogsCommands(program, env);
  registerIamCommands(program, env);
  registerTraceCommands(program, env);
  registerDbCommands(program, env);
  registerSampleCommands(program, env);
  registerReportCommands(program, env);
  registerSignoffCommands(program, env);
  registerSignerCommands(program, env);
  // Every subcommand reports usage errors as exit 2 instead of ending the process.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 a check found a problem, 2 bad usage or unreadable input. */
export async function main(argv: string[], io: Io = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const holder: { program?: Command } = {};
  const cli = new CliEnv(io, env, () => (holder.program?.opts() ?? {}) as GlobalOptions);
  const program = buildProgram(cli);
  holder.program = program;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliExit) {
      if (e.message) io.err(`${e.message}\n`);
      return e.code;
    }
    io.err(`firebreak: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.usage;
  } finally {
    cli.close();
  }
}
