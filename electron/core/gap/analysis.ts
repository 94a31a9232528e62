import { GAP_STATE_LABELS, type ControlAssessment, type GapAnalysis, type GapState } from '../../shared/gap';
import { normaliseControlId } from '../../shared/playbook/ids';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { resolveItem } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { incidentRun } from '../reports/incident-run';
import { loadControlTexts } from './catalog-text';
import { gapSet, missingFor } from './gap-set';
import { type AssessmentFields, GapRepository } from './repository';

export { gapSet, missingFor };

export function gapAnalysis(ctx: CoreContext, id: string): GapAnalysis {
  const run = incidentRun(ctx, id);
  const repo = new GapRepository(ctx.db);
  const texts = loadControlTexts(ctx.resourcesDir);
  const rows = repo.assessments(id);
  const evidence = repo.evidence(id);
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

function controlOf(analysis: GapAnalysis, raw: string): ControlAssessment {
  const id = normaliseControlId(raw);
  const hit = id ? analysis.controls.find((c) => c.controlId === id) : undefined;
  if (!hit) {
    throw badInput(`"${raw}" is not in the gap set of ${analysis.incidentId}.`, [
      `Controls to assess: ${analysis.controls.map((c) => c.label).join(', ')}`,
    ]);
  }
  return hit;
}

function checkDate(date: string): void {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw badInput(`The due date ${date} is not a date in the calendar.`);
}

export interface AssessInput {
  id: string;
  controlId: string;
  state?: GapState | null | undefined;
  gap?: string | null | undefined;
  owner?: string | null | undefined;
  dueDate?: string | null | undefined;
}

/** Records what changed for one control, one ledger entry naming each field's old and new value; no change, no entry. */
export function assessControl(ctx: CoreContext, actor: Actor, input: AssessInput): GapAnalysis {
  if (input.dueDate) checkDate(input.dueDate);
  ctx.tx(() => {
    const control = controlOf(gapAnalysis(ctx, input.id), input.controlId);
    const blank = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() ? v.trim() : null);
    const before: AssessmentFields = { state: control.state, gap: control.gap, owner: control.owner, dueDate: control.dueDate };
    const asked = { state: input.state, gap: blank(input.gap), owner: blank(input.owner), dueDate: blank(input.dueDate) };
    const after: AssessmentFields = {
      state: asked.state === undefined ? before.state : asked.state,
      gap: asked.gap === undefined ? before.gap : asked.gap,
      owner: asked.owner === undefined ? before.owner : asked.owner,
      dueDate: asked.dueDate === undefined ? before.dueDate : asked.dueDate,
    };
    const keys = (Object.keys(after) as Array<keyof AssessmentFields>).filter((k) => after[k] !== before[k]);
    if (keys.length === 0) return;
    const at = ctx.now().toISOString();
    new GapRepository(ctx.db).upsert(input.id, control.controlId, after, actor, at);
    ctx.ledger.append(actor, {
      scope: input.id,
      action: 'gap.assessed',
      subject: control.label,
      payload: {
        control: control.controlId,
        title: control.control?.title ?? null,
        ...(after.state ? { stateLabel: GAP_STATE_LABELS[after.state] } : {}),
        changes: Object.fromEntries(keys.map((k) => [k, { from: before[k], to: after[k] }])),
      },
    });
  });
  return gapAnalysis(ctx, input.id);
}

export function linkGapEvidence(
  ctx: CoreContext,
  actor: Actor,
  input: { id: string; controlId: string; itemId: string; unlink: boolean },
): GapAnalysis {
  ctx.tx(() => {
    const control = controlOf(gapAnalysis(ctx, input.id), input.controlId);
    const item = resolveItem(ctx, input.id, input.itemId);
    const repo = new GapRepository(ctx.db);
    const changed = input.unlink
      ? repo.unlink(input.id, control.controlId, item.id)
      : repo.link(input.id, control.controlId, item.id, ctx.now().toISOString());
    if (!changed) return;
    ctx.ledger.append(actor, {
      scope: input.id,
      action: input.unlink ? 'gap.evidence-unlinked' : 'gap.evidence-linked',
      subject: control.label,
      payload: { control: control.controlId, item: item.id, name: item.name, sha256: item.sha256 },
    });
  });
  return gapAnalysis(ctx, input.id);
}
