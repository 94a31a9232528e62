import type { Command } from 'commander';
import type { CliEnv } from '../env';

export function registerSampleCommands(program: Command, env: CliEnv): void {
  const sample = program
    .command('sample')
    .description('open the SAMPLE incident: real recorded CloudTrail logs, a damaged SQLite database, evidence and a baseline; prints its id')
    .action(async () => {
      env.io.err('Building the sample incident (importing CloudTrail logs, capturing a baseline)…\n');
      const incident = await env.call('sample.create', {});
      env.io.out(`${incident.id}\n`);
    });
  sample
    .command('restore-backup')
    .description('in a sample incident, copy the full backup over the damaged database so validation can match again')
    .argument('<incident>', 'the sample incident id')
    .action(async (id: string) => {
      const r = await env.call('sample.restoreBackup', { id });
      env.io.out(`${r.incidentId}: the full backup is back in ${r.restored}\n`);
    });
  sample
    .command('sign')
    .description("in a sample incident, have the fictional signers sign, each with a key made on a machine of their own, by request")
    .argument('<incident>', 'the sample incident id')
    .option('--step <id>', 'another sign-off step, e.g. residual-risk-sign-off')
    .action(async (id: string, o: { step?: string }) => {
      const signed = await env.call('sample.signOff', { id, ...(o.step ? { stepId: o.step } : {}) });
      for (const r of signed) env.io.out(`${r.id}  ${r.name} (${r.role}) signed "${r.stepTitle}" with key ${r.fingerprint}\n`);
    });
}
