import type { ControlAssessment, GapAnalysis } from '../../shared/gap';
import { normaliseControlId } from '../../shared/playbook/ids';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { loadControlTexts } from '../playbooks/catalog-text';
import { gapSet, missingFor } from './gap-set';
import { incidentRun } from './incident-run';
import { CaseRepository } from './repository';

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
