import type { PhaseCloseResult } from '../../shared/checkpoints';
import type { ApiHandlers } from '../../shared/contract/index';
import type { Incident } from '../../shared/domain';
import { PHASE_TITLES, type PhaseId } from '../../shared/playbook/vocabulary';
import type { GateStatus, IncidentRun } from '../../shared/workflow';
import type { CoreContext } from '../context';
import { FirebreakError, badInput, notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import { checkParams } from '../kernel/params';
import type { Actor, AppendInput } from '../ledger/ledger';
import { WorkflowRepository } from './repository';
import { type StepProofs, loadRun, phaseOrder } from './run';
import { timeline } from './timeline';

type WorkflowMethods =
  | 'workflow.get'
  | 'workflow.setParams'
  | 'workflow.setStep'
  | 'workflow.setNote'
  | 'workflow.decide'
  | 'workflow.closePhase'
  | 'workflow.reopenPhase'
  | 'workflow.setTime'
  | 'workflow.recordNotification'
  | 'workflow.logMonitoringCheck'
  | 'workflow.timeline';

/** Logs a ledger entry of the incident's chain as part of the change being made. */
type Log = (action: string, subject: string, payload: unknown) => void;

export const describeGate = (g: GateStatus, r?: IncidentRun): string[] => [
  ...g.missingSteps.map((s) => {
    const proof = r?.steps[s.id]?.proof;
    const why = s.status === 'na' ? 'marked not applicable; the gate needs it done' : proof && !proof.met ? proof.text : 'not done';
    return `step ${s.id}: ${s.title} (${why})`;
  }),
  ...g.missingEvidence.map(
    (e) => `evidence ${e.id}: ${e.name} (nothing attached; attach it in the Evidence tab${r ? `, or: firebreak evidence add ${r.incident.id} FILE --step ${e.id}` : ''})`,
  ),
];

/** The gate of the incident's last phase, plus every visible record-backed step of any phase that is not proven. */
function withUnprovenSteps(r: IncidentRun, gate: GateStatus): GateStatus {
  const titles = new Map(r.playbook.phases.flatMap((p) => p.steps.map((s) => [s.id, s.title] as const)));
  const listed = new Set(gate.missingSteps.map((s) => s.id));
  const unproven = Object.values(r.steps)
    // The monitoring watch runs on after the incident closes ("closed, monitoring until DATE"), so it never holds the close.
    .filter((s) => s.proof && !s.proof.met && !s.hidden && !s.skipped && !s.track && !listed.has(s.stepId))
    .map((s) => ({ id: s.stepId, title: titles.get(s.stepId) ?? s.stepId, status: s.status }));
  const missingSteps = [...gate.missingSteps, ...unproven];
  return { ...gate, met: gate.met && unproven.length === 0, missingSteps };
}

/** What runs once a phase close is committed: the ledger checkpoint (its outcome goes into the close's result). */
export type AfterPhaseClose = (actor: Actor, incidentId: string, phaseId: PhaseId) => Promise<Pick<PhaseCloseResult, 'checkpoint' | 'checkpointProblem'>>;

/**
 * `proofs` reads the records behind fact-backed steps (core/case's stepProofs); `afterClose` makes the ledger checkpoint
 * once a phase close is committed. Core hands both in, so the workflow imports neither layer above it.
 */
export function workflowHandlers(ctx: CoreContext, proofs: StepProofs, afterClose: AfterPhaseClose): Pick<ApiHandlers, WorkflowMethods> {
  const repo = new WorkflowRepository(ctx.db);
  const incidents = new IncidentRepository(ctx.db);

  const incidentOf = (id: string): Incident => {
    const i = incidents.get(id);
    if (!i) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
    return i;
  };
  const run = (id: string): IncidentRun => loadRun(ctx.db, incidentOf(id), ctx.now(), proofs);

  /**
   * Runs a change and the ledger entries it logs in one transaction, then returns the fresh run. A change that logs
   * nothing changed nothing.
   */
  const change = (id: string, fn: (run: IncidentRun, actor: Actor, at: string, log: Log) => void): IncidentRun => {
    const actor = ctx.human();
    ctx.change(
      actor,
      (entries) => entries,
      () => {
        const entries: AppendInput[] = [];
        fn(run(id), actor, ctx.now().toISOString(), (action, subject, payload) => entries.push({ scope: id, action, subject, payload }));
        return entries;
      },
    );
    return run(id);
  };

  const stepOf = (r: IncidentRun, stepId: string) => {
    const s = r.steps[stepId];
    if (!s) throw badInput(`The playbook of ${r.incident.id} has no step "${stepId}".`);
    const phase = r.phases.find((p) => p.id === s.phaseId);
    if (phase?.status === 'closed') {
      throw new FirebreakError('conflict', `${phase.title} is closed; reopen it (with a reason) before changing step "${stepId}".`);
    }
    if (s.hidden) throw new FirebreakError('conflict', `Step "${stepId}" is not open: a decision has to open it first.`);
    return s;
  };

  return {
    'workflow.get': ({ id }) => run(id),
    'workflow.timeline': ({ id }) => {
      incidentOf(id);
      return timeline(ctx.ledger.iterate(id));
    },

    'workflow.setParams': ({ id, params }) =>
      change(id, (r, actor, _at, log) => {
        const problems = checkParams(r.playbook, params);
        if (problems.length) throw badInput('Some parameters are not valid.', problems);
        const before = r.incident.params;
        const changed = Object.keys({ ...before, ...params }).filter((k) => (before[k] ?? '') !== (params[k] ?? ''));
        if (changed.length === 0) return;
        incidents.setParams(id, params);
        log('parameters.changed', id, {
          changes: Object.fromEntries(changed.map((k) => [k, { from: before[k] ?? null, to: params[k] ?? null }])),
        });
      }),

    'workflow.setStep': ({ id, stepId, status, reason, note }) =>
      change(id, (r, actor, at, log) => {
        const s = stepOf(r, stepId);
        const step = r.playbook.phases.flatMap((p) => p.steps).find((x) => x.id === stepId);
        if (step?.kind === 'decision') throw badInput(`"${stepId}" is a decision: answer it instead of marking it.`);
        if (status === 'done' && s.proof) {
          if (s.proof.met) return;
          throw new FirebreakError('gate-not-met', `"${stepId}" is complete only when its record exists, not by marking it done: ${s.proof.text}.`, [
            `To complete it: ${s.proof.how ?? 'see the step'}.`,
            'Or mark it not applicable with a reason (the phase then closes only with a recorded override).',
          ]);
        }
        const newNote = note ?? s.note;
        repo.upsertStep(id, stepId, { status, reason: status === 'na' ? (reason ?? null) : null, note: newNote }, actor, at);
        const action = status === 'done' ? 'step.done' : status === 'na' ? 'step.not-applicable' : 'step.reopened';
        log(action, stepId, { title: step?.title, phase: s.phaseId, ...(status === 'na' ? { reason } : {}), ...(note !== undefined && note !== s.note ? { note } : {}) });
      }),

    'workflow.setNote': ({ id, stepId, note }) =>
      change(id, (r, actor, at, log) => {
        const s = stepOf(r, stepId);
        if ((s.note ?? '') === note) return;
        repo.upsertStep(id, stepId, { status: s.answers ? 'done' : s.status, reason: s.reason, note }, actor, at);
        log('step.note', stepId, { note });
      }),

    'workflow.decide': ({ id, stepId, answers }) =>
      change(id, (r, actor, at, log) => {
        stepOf(r, stepId);
        const step = r.playbook.phases.flatMap((p) => p.steps).find((x) => x.id === stepId);
        if (step?.kind !== 'decision') throw badInput(`"${stepId}" is not a decision.`);
        const unknown = answers.filter((a) => !step.answers.some((x) => x.id === a));
        if (unknown.length) throw badInput(`"${unknown[0]}" is not an answer of "${stepId}".`, [`Answers: ${step.answers.map((a) => a.id).join(', ')}`]);
        if (!step.multiple && answers.length > 1) throw badInput(`"${stepId}" takes one answer.`);
        const chosen = step.answers.filter((a) => answers.includes(a.id));
        repo.decide(id, stepId, chosen.map((a) => a.id), actor, at);
        log('decision.recorded', stepId, {
          question: step.question,
          answers: chosen.map((a) => ({ id: a.id, label: a.label })),
          opens: chosen.flatMap((a) => a.opens ?? []),
          skips: chosen.flatMap((a) => a.skips ?? []),
          dataCategories: chosen.flatMap((a) => a.dataCategories ?? []),
        });
        for (const a of chosen) {
          for (const esc of a.escalates ?? []) {
            if (!repo.raiseEscalation(id, esc, stepId, a.id, actor, at)) continue;
            const def = r.playbook.triage.escalation.find((e) => e.id === esc);
            log('escalation.raised', esc, { notify: def?.notify ?? [], when: def?.when ?? '', because: a.label });
          }
        }
      }),

    'workflow.closePhase': async ({ id, phaseId, override }) => {
      change(id, (r, actor, at, log) => {
        const phase = r.phases.find((p) => p.id === phaseId);
        if (!phase) throw badInput(`The playbook has no phase "${phaseId}".`);
        if (phase.status === 'closed') throw new FirebreakError('conflict', `${phase.title} is already closed.`);
        const earlier = r.phases.filter((p) => phaseOrder(p.id) < phaseOrder(phaseId) && p.status === 'open');
        if (earlier.length) {
          throw new FirebreakError('gate-not-met', `Close ${earlier.map((p) => p.title).join(', ')} before ${phase.title}.`);
        }
        const next = r.phases.find((p) => phaseOrder(p.id) > phaseOrder(phaseId) && p.status === 'open');
        // Closing the last phase closes the incident: every record-backed step of the incident must be proven, or waived on the record.
        const gate = next ? phase.gate : withUnprovenSteps(r, phase.gate);
        const missing = describeGate(gate, r);
        if (!gate.met && !override) {
          throw new FirebreakError('gate-not-met', `${phase.title} cannot close${next ? '' : ' (it closes the incident)'}: its gate is not met.`, missing);
        }
        const overriding = !gate.met && override ? { reason: override, missing: gate } : null;
        repo.closePhase(id, phaseId, actor, at, overriding);
        log(overriding ? 'phase.closed-with-override' : 'phase.closed', phaseId, {
          title: phase.title,
          ...(overriding ? { justification: override, waived: missing } : {}),
        });
        incidents.setCurrentPhase(id, next?.id ?? phaseId);
        if (!next) {
          incidents.setStatus(id, 'closed');
          log('incident.closed', id, { lastPhase: phaseId });
        }
      });
      const pinned = await afterClose(ctx.human(), id, phaseId);
      return { ...run(id), ...pinned };
    },

    'workflow.reopenPhase': ({ id, phaseId, reason }) =>
      change(id, (r, _actor, _at, log) => reopen(r, log, phaseId, reason)),

    'workflow.setTime': ({ id, kind, at, note }) =>
      change(id, (r, actor, now, log) => {
        const iso = new Date(at).toISOString();
        if (Date.parse(iso) > Date.parse(now) + 60_000) throw badInput(`The ${kind} time ${iso} is in the future.`);
        repo.setTime(id, kind, iso, actor, now);
        log(kind === 'awareness' ? 'awareness.recorded' : 'materiality.determined', id, {
          at: iso,
          previous: kind === 'awareness' ? (r.awarenessAssumed ? null : r.awarenessAt) : r.materialityAt,
          ...(kind === 'awareness' && r.awarenessAssumed ? { confirms: 'the time assumed when the incident was opened' } : {}),
          ...(note ? { note } : {}),
        });
      }),

    'workflow.recordNotification': ({ id, regime, at, note }) =>
      change(id, (r, actor, now, log) => {
        const clock = r.clocks.find((c) => c.regime === regime);
        if (!clock) {
          throw badInput(`No notification clock "${regime}" runs for ${id}.`, [
            r.clocks.length ? `Running: ${r.clocks.map((c) => c.regime).join(', ')}` : 'No decision has confirmed regulated data.',
          ]);
        }
        const iso = new Date(at).toISOString();
        repo.recordNotification(id, regime, iso, note ?? null, actor, now);
        log('notification.recorded', regime, {
          at: iso,
          rule: clock.rule,
          dueAt: clock.dueAt,
          late: clock.dueAt ? Date.parse(iso) > Date.parse(clock.dueAt) : false,
          ...(note ? { note } : {}),
        });
      }),

    'workflow.logMonitoringCheck': ({ id, result, note }) =>
      change(id, (r, actor, at, log) => {
        if (!r.monitoring) throw new FirebreakError('conflict', 'Monitoring starts when Recovery closes.');
        repo.logMonitoringCheck(id, { at, result, note, by: { name: actor.name, role: actor.role }, initiator: actor.initiator });
        log(result === 'alert' ? 'monitoring.alert' : 'monitoring.clear', id, { note });
        if (result === 'alert') reopen(r, log, 'containment', `Monitoring alert, treated as a possible recurrence: ${note}`);
      }),
  };

  function reopen(r: IncidentRun, log: Log, phaseId: PhaseId, reason: string): void {
    const phase = r.phases.find((p) => p.id === phaseId);
    if (!phase || phase.status !== 'closed') throw new FirebreakError('conflict', `${PHASE_TITLES[phaseId]} is not closed.`);
    repo.reopenPhase(r.incident.id, phaseId);
    incidents.setCurrentPhase(r.incident.id, phaseId);
    incidents.setStatus(r.incident.id, 'open');
    log('phase.reopened', phaseId, { title: phase.title, reason });
  }
}
