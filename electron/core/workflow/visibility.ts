import type { Playbook, Step } from '../../shared/playbook/schema';
import type { PhaseId } from '../../shared/playbook/vocabulary';

export interface StepIndex {
  byId: Map<string, { step: Step; phaseId: PhaseId }>;
  /** Steps that some decision answer opens: hidden until that answer is chosen. */
  openedBy: Map<string, Array<{ decision: string; answer: string }>>;
}

export function indexSteps(playbook: Playbook): StepIndex {
  const byId = new Map<string, { step: Step; phaseId: PhaseId }>();
  const openedBy = new Map<string, Array<{ decision: string; answer: string }>>();
  for (const phase of playbook.phases) {
    for (const step of phase.steps) {
      byId.set(step.id, { step, phaseId: phase.id });
      if (step.kind !== 'decision') continue;
      for (const a of step.answers) {
        for (const target of a.opens ?? []) {
          openedBy.set(target, [...(openedBy.get(target) ?? []), { decision: step.id, answer: a.id }]);
        }
      }
    }
  }
  return { byId, openedBy };
}

/** Which steps are hidden (waiting for an answer that opens them) and which are skipped by the answers given. */
export function stepVisibility(index: StepIndex, answers: ReadonlyMap<string, readonly string[]>) {
  const chosen = (decision: string, answer: string) => answers.get(decision)?.includes(answer) ?? false;
  const hidden = new Set<string>();
  for (const [target, openers] of index.openedBy) {
    if (!openers.some((o) => chosen(o.decision, o.answer))) hidden.add(target);
  }
  const skipped = new Set<string>();
  for (const [decision, ids] of answers) {
    const entry = index.byId.get(decision);
    if (entry?.step.kind !== 'decision') continue;
    for (const a of entry.step.answers) {
      if (ids.includes(a.id)) for (const s of a.skips ?? []) skipped.add(s);
    }
  }
  return { hidden, skipped };
}
