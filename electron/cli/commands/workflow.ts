import type { Command } from 'commander';
import { incidentStanding } from '../../shared/domain';
import type { IncidentRun } from '../../shared/workflow';
import { plural } from '../../shared/plural';
import { checkpointMade } from './audit';
import { type CliEnv, CliExit, EXIT } from '../env';

const STATUS_WORD = { todo: 'to do', done: 'done', na: 'n/a' } as const;

/** A readable summary of where an incident stands: the phase stepper and each phase's gate. */
export function formatRun(r: IncidentRun): string {
  const lines = [`${r.incident.id}  ${r.incident.title}  [${incidentStanding(r.incident, new Date())}, phase: ${r.incident.phase}]`];
  for (const p of r.phases) {
    const mark = p.status === 'closed' ? (p.override ? 'closed (OVERRIDE)' : 'closed') : p.gate.met ? 'open, gate met' : 'open';
    lines.push(`  ${p.title.padEnd(22)} ${String(p.stepsDone).padStart(2)}/${p.stepsTotal} steps  ${mark}`);
    if (p.override) lines.push(`      override by ${p.override.by.name}: ${p.override.reason}`);
  }
  for (const e of r.escalations) lines.push(`  ESCALATE to ${e.notify.join(', ')}: ${e.when}`);
  for (const c of r.clocks) lines.push(`  ${c.regime} (${c.rule}): ${c.status}${c.dueAt ? `, due ${c.dueAt}` : ', starts at the materiality determination'}`);
  if (r.monitoring) {
    const m = r.monitoring;
    lines.push(`  Monitoring until ${m.endsAt.slice(0, 10)}: ${plural(m.daysLeft, 'day')} left, ${plural(m.checks.length, 'check')} logged, ${plural(m.alerts, 'alert')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerWorkflowCommands(program: Command, env: CliEnv): void {
  program
    .command('step')
    .description('mark a step done, or not applicable with a reason')
    .argument('<incident>', 'incident id')
    .argument('<step>', 'step id from the playbook')
    .option('--done', 'the step is done')
    .option('--na <reason>', 'the step does not apply, and why')
    .option('--todo', 'set the step back to to-do')
    .option('--note <text>', 'a note (Markdown) for the step')
    .action(async (id: string, stepId: string, o: { done?: boolean; na?: string; todo?: boolean; note?: string }) => {
      const chosen = [o.done, o.na !== undefined, o.todo].filter(Boolean).length;
      if (chosen > 1) throw new CliExit(EXIT.usage, 'firebreak: give one of --done, --na REASON or --todo');
      if (chosen === 0 && o.note === undefined) throw new CliExit(EXIT.usage, 'firebreak: give --done, --na REASON, --todo or --note TEXT');
      if (chosen === 0 && o.note !== undefined) {
        await env.call('workflow.setNote', { id, stepId, note: o.note });
      } else {
        const status = o.done ? 'done' : o.na !== undefined ? 'na' : 'todo';
        await env.call('workflow.setStep', {
          id,
          stepId,
          status,
          ...(o.na !== undefined ? { reason: o.na } : {}),
          ...(o.note !== undefined ? { note: o.note } : {}),
        });
      }
      env.io.out(`${id} ${stepId}: ${o.done ? STATUS_WORD.done : o.na !== undefined ? STATUS_WORD.na : o.todo ? STATUS_WORD.todo : 'note saved'}\n`);
    });

  const phase = program.command('phase').description('close or reopen a phase');
  phase
    .command('close')
    .description('close a phase; exit 1 with the missing items when its gate is not met')
    .argument('<incident>', 'incident id')
    .argument('<phase>', 'containment | detection-analysis | eradication | recovery | post-incident')
    .option('--override <reason>', 'close although the gate is not met; the justification is recorded and reported')
    .action(async (id: string, phaseId: string, o: { override?: string }) => {
      const r = await env.call('workflow.closePhase', { id, phaseId: phaseId as never, ...(o.override ? { override: o.override } : {}) });
      const p = r.phases.find((x) => x.id === phaseId);
      const now = r.incident.status === 'closed' ? `the incident is ${incidentStanding(r.incident, new Date())}` : `now in ${r.phases.find((x) => x.id === r.incident.phase)?.title ?? r.incident.phase}`;
      env.io.out(`${id}: ${p?.title ?? phaseId} closed${p?.override ? ' with an override (recorded)' : ''}; ${now}\n`);
      if (r.checkpoint) env.io.out(checkpointMade(r.checkpoint));
      if (r.checkpointProblem) env.io.err(`firebreak: ${r.checkpointProblem}\n`);
    });
  phase
    .command('reopen')
    .description('reopen a closed phase, with a reason')
    .argument('<incident>', 'incident id')
    .argument('<phase>', 'phase id')
    .requiredOption('--reason <text>', 'why it reopens')
    .action(async (id: string, phaseId: string, o: { reason: string }) => {
      await env.call('workflow.reopenPhase', { id, phaseId: phaseId as never, reason: o.reason });
      env.io.out(`${id}: ${phaseId} reopened\n`);
    });

  program
    .command('decide')
    .description("answer a playbook decision (opens or skips steps, may escalate and start regulatory clocks)")
    .argument('<incident>', 'incident id')
    .argument('<step>', 'the decision step id')
    .argument('<answers...>', 'answer id(s)')
    .action(async (id: string, stepId: string, answers: string[]) => {
      const r = await env.call('workflow.decide', { id, stepId, answers });
      env.io.out(formatRun(r));
    });

  program
    .command('param')
    .description("set an incident's playbook parameters (validated by type)")
    .argument('<incident>', 'incident id')
    .argument('<assignments...>', 'KEY=VALUE (an empty VALUE clears it)')
    .action(async (id: string, assignments: string[]) => {
      const current = (await env.call('incidents.get', { id })).params;
      const params = { ...current };
      for (const a of assignments) {
        const eq = a.indexOf('=');
        if (eq <= 0) throw new CliExit(EXIT.usage, `firebreak: expected KEY=VALUE, got "${a}"`);
        const key = a.slice(0, eq);
        const value = a.slice(eq + 1);
        if (value === '') delete params[key];
        else params[key] = value;
      }
      await env.call('workflow.setParams', { id, params });
      env.io.out(`${id}: parameters saved\n`);
    });
}
