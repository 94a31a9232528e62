import { GAP_STATE_LABELS, type GapAnalysis, type GapState } from '../../shared/gap';
import { gapAnalysis, gapControl } from '../case/gap-analysis';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { resolveItem } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { type AssessmentFields, GapRepository } from './repository';

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
      const control = gapControl(gapAnalysis(ctx, input.id), input.controlId);
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
      const control = gapControl(gapAnalysis(ctx, input.id), input.controlId);
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
