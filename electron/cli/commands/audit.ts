import type { Command } from 'commander';
import { type CheckpointCheck, type CheckpointOutcome, checkpointOutcomeLines } from '../../shared/checkpoints';
import { type CliEnv, CliExit, EXIT } from '../env';

const checkpointLine = (c: CheckpointCheck): string =>
  `Checkpoint ${c.id}: ${c.ok ? 'holds' : `FAILS: ${c.problem ?? ''}`}; ${c.signed ? 'signed' : 'UNSIGNED (made without a key: it pins nothing a rewrite could not redo)'}, ${c.timeStamped ? 'time-stamped' : 'not time-stamped'}\n`;

/** What a phase close and `audit checkpoint` print about the checkpoint they made. */
export const checkpointMade = (o: CheckpointOutcome): string => checkpointOutcomeLines(o).map((l) => `${l}\n`).join('');

export function registerAuditCommands(program: Command, env: CliEnv): void {
  const audit = program.command('audit').description('the tamper-evident audit ledger');

  audit
    .command('verify')
    .description("recompute an incident's hash chain; exit 1 naming the first broken entry")
    .argument('<incident>', "incident id, or 'system' for the chain outside incidents")
    .option('--json', 'print JSON')
    .action(async (scope: string, o: { json?: boolean }) => {
      const v = await env.call('audit.verify', { scope });
      if (o.json) env.json(v);
      else if (v.checkpoints?.length) env.io.out(v.checkpoints.map(checkpointLine).join(''));
      if (v.ok) {
        if (!o.json) env.io.out(`Ledger of ${scope} is intact: ${v.entries} entries, head ${v.headHash ?? '(empty)'}\n`);
        return;
      }
      const b = v.firstBroken;
      throw new CliExit(
        EXIT.problem,
        `firebreak: the ledger of ${scope} is broken at entry ${b?.seq}${b?.action ? ` (${b.action})` : ''}: ${b?.reason}`,
      );
    });

  audit
    .command('checkpoint')
    .description("sign a checkpoint of the incident's and the system's ledger now, with your own key (time-stamped when a TSA is set)")
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = await env.call('audit.checkpoint', { id });
      if (o.json) return env.json(r);
      env.io.out(checkpointMade(r));
    });

  audit
    .command('log')
    .description("print an incident's ledger entries")
    .argument('<incident>', "incident id, or 'system'")
    .option('--json', 'print JSON lines, one entry each')
    .action(async (scope: string, o: { json?: boolean }) => {
      const entries = await env.call('audit.entries', { scope });
      for (const e of entries) {
        env.io.out(
          o.json
            ? `${JSON.stringify(e)}\n`
            : `${String(e.seq).padStart(5)}  ${e.at}  ${e.initiator === 'automated' ? '[auto] ' : ''}${e.actor} (${e.actorRole})  ${e.action}  ${e.subject}\n`,
        );
      }
    });
}
