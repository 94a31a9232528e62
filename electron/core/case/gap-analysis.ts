import { type ControlAssessment, type GapAnalysis, isOpenGap } from '../../shared/gap';
import { normaliseControlId, controlLabel } from '../../shared/playbook/ids';
import type { Playbook } from '../../shared/playbook/schema';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { loadControlTexts } from '../playbooks/catalog-text';
import { incidentRun } from './incident-run';
import { CaseRepository } from './repository';

export interface GapSetEntry {
  controlId: string;
  label: string;
  source: ControlAssessment['source'];
  stepId: string | null;
  question: string | null;
}

/**
 * The controls to assess: those a gap-assessment step asks about (with its question), then the other SP 800-53
 * controls the playbook maps to this kind of incident. Each control once, in playbook order.
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

export function gapAnalysis(ctx: CoreContext, id: string): GapAnalysis {
  const run = incidentRun(ctx, id);
  const repo = new CaseRepository(ctx.db);
  const texts = loadControlTexts(ctx.resourcesDir);
  const rows = repo.gapAssessments(id);
  const evidence = repo.gapEvidence(id);
  const controls: ControlAssessment[] = gapSet(run.playbook).map((e) => {
    const r = rows.get(e.controlId);
    return {
      ...e,
      control: texts.get(e.controlId) ?? null,
      state: r?.state ?? null,
      gap: r?.gap ?? null,
      owner: r?.owner ?? null,
      dueDate: r?.due_date ?? null,
      evidence: evidence.get(e.controlId) ?? [],
      updatedAt: r?.updated_at ?? null,
      updatedBy: r ? { name: r.updated_by, role: r.updated_role } : null,
    };
  });
  return { incidentId: id, controls, assessed: controls.filter((c) => c.state).length, missing: controls.flatMap(missingFor) };
}

/** One control of the gap set, by any spelling of its id; bad input naming the controls to assess otherwise. */
export function gapControl(analysis: GapAnalysis, raw: string): ControlAssessment {
  const id = normaliseControlId(raw);
  const hit = id ? analysis.controls.find((c) => c.controlId === id) : undefined;
  if (!hit) {
    throw badInput(`"${raw}" is not in the gap set of ${analysis.incidentId}.`, [
      `Controls to assess: ${analysis.controls.map((c) => c.label).join(', ')}`,
    ]);
  }
  return hit;
}
