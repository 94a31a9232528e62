import { GAP_STATE_LABELS, type ControlAssessment, type GapAnalysis, type GapState, isOpenGap } from '../../shared/gap';
import { normaliseControlId, controlLabel } from '../../shared/playbook/ids';
import type { Playbook } from '../../shared/playbook/schema';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { resolveItem } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { incidentRun } from '../reports/incident-run';
import { loadControlTexts } from './catalog-text';
import { type AssessmentFields, GapRepository } from './repository';

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
  ctx.change(
    actor,
    (change) =>
      change && {
        scope: input.id,
        action: 'gap.assessed',
        subject: change.control.label,
        payload: {
          control: change.control.controlId,
          title: change.control.control?.title ?? null,
          ...(change.after.state ? { stateLabel: GAP_STATE_LABELS[change.after.state] } : {}),
          changes: Object.fromEntries(change.keys.map((k) => [k, { from: change.before[k], to: change.after[k] }])),
        },
      },
    () => {
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
      if (keys.length === 0) return null;
      new GapRepository(ctx.db).upsert(input.id, control.controlId, after, actor, ctx.now().toISOString());
      return { control, before, after, keys };
    },
  );
  return gapAnalysis(ctx, input.id);
}

export function linkGapEvidence(
  ctx: CoreContext,
  actor: Actor,
  input: { id: string; controlId: string; itemId: string; unlink: boolean },
): GapAnalysis {
  ctx.change(
    actor,
    (link) =>
      link && {
        scope: input.id,
        action: input.unlink ? 'gap.evidence-unlinked' : 'gap.evidence-linked',
        subject: link.control.label,
        payload: { control: link.control.controlId, item: link.item.id, name: link.item.name, sha256: link.item.sha256 },
      },
    () => {
      const control = controlOf(gapAnalysis(ctx, input.id), input.controlId);
      const item = resolveItem(ctx, input.id, input.itemId);
      const repo = new GapRepository(ctx.db);
      const changed = input.unlink
        ? repo.unlink(input.id, control.controlId, item.id)
        : repo.link(input.id, control.controlId, item.id, ctx.now().toISOString());
      return changed ? { control, item } : null;
    },
  );
  return gapAnalysis(ctx, input.id);
}
