import { type ControlAssessment, isOpenGap } from '../../shared/gap';
import { controlLabel, normaliseControlId } from '../../shared/playbook/ids';
import type { Playbook } from '../../shared/playbook/schema';

// Apart from the analysis: the run's gap-assessment step proofs read these, and the analysis reads the run.

export interface GapSetEntry {
  controlId: string;
  label: string;
  source: ControlAssessment['source'];
  stepId: string | null;
  question: string | null;
}

/**
 * The controls to assess: those a gap-assessment step asks about (with its question), those its phase names, then the
 * other SP 800-53 controls the playbook maps to this kind of incident. Each control once, in playbook order.
 */
export function gapSet(playbook: Playbook): GapSetEntry[] {
  const out = new Map<string, GapSetEntry>();
  for (const phase of playbook.phases) {
    for (const step of phase.steps) {
      if (step.kind !== 'gap-assessment') continue;
      for (const c of step.controls) {
        const id = normaliseControlId(c.id);
        if (id && !out.has(id)) out.set(id, { controlId: id, label: controlLabel(id), source: 'gap-assessment', stepId: step.id, question: c.question });
      }
    }
  }
  // The controls the assessing phase names (Post-Incident: IR-8, RA-3, AU-11, ...) are part of what it assesses.
  for (const phase of playbook.phases) {
    if (!phase.steps.some((s) => s.kind === 'gap-assessment')) continue;
    for (const raw of phase.controls ?? []) {
      const id = normaliseControlId(raw);
      if (id && !out.has(id)) out.set(id, { controlId: id, label: controlLabel(id), source: 'phase', stepId: null, question: null });
    }
  }
  for (const raw of playbook.mappings.sp80053 ?? []) {
    const id = normaliseControlId(raw);
    if (id && !out.has(id)) out.set(id, { controlId: id, label: controlLabel(id), source: 'playbook-mapping', stepId: null, question: null });
  }
  return [...out.values()];
}

/** What keeps one control's assessment from being complete; empty when it is. */
export function missingFor(a: Pick<ControlAssessment, 'label' | 'state' | 'gap' | 'owner' | 'dueDate'>): string[] {
  if (!a.state) return [`${a.label}: no state recorded`];
  const out: string[] = [];
  if (isOpenGap(a.state)) {
    if (!a.gap) out.push(`${a.label}: the specific gap is not described`);
    if (!a.owner) out.push(`${a.label}: no owner`);
    if (!a.dueDate) out.push(`${a.label}: no due date`);
  } else if (a.state === 'not-applicable' && !a.gap) {
    out.push(`${a.label}: say why it does not apply`);
  }
  return out;
}

