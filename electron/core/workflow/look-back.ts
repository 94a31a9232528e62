import type { CoreContext } from '../context';
import { linkStep } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { artifactsFilledBy } from './auto-links';
import { WorkflowRepository } from './repository';

/** The look-back window a containment-phase audit-log artifact asks for: the 30 days before containment. */
export const LOOK_BACK_DAYS = 30;
const DAY_MS = 86_400_000;
/**
 * How far the held events may fall short of each edge of the window and still cover it: a quiet account logs nothing
 * for hours, so the first and last event rarely sit on the edges themselves.
 */
const EDGE_SLACK_MS = DAY_MS;

/** The time span of the CloudTrail events held for the incident, in epoch seconds, as the events store counts it. */
export interface HeldSpan {
  first: number | null;
  last: number | null;
}

/** The window the logs must span: 30 days up to containment's close, or up to now while containment is still open. */
export function lookBackWindow(ctx: CoreContext, incidentId: string): { start: Date; end: Date } {
  const contained = new WorkflowRepository(ctx.db).phases(incidentId).find((p) => p.phase_id === 'containment' && p.status === 'closed')?.closed_at;
  const end = contained ? new Date(contained) : ctx.now();
  return { start: new Date(end.getTime() - LOOK_BACK_DAYS * DAY_MS), end };
}

export function spansLookBack(span: HeldSpan, window: { start: Date; end: Date }): boolean {
  if (span.first === null || span.last === null) return false;
  return span.first * 1000 <= window.start.getTime() + EDGE_SLACK_MS && span.last * 1000 >= window.end.getTime() - EDGE_SLACK_MS;
}

/**
 * After a CloudTrail import: when the incident's logs now span the look-back window, the imported files are linked to
 * the artifacts that declare `filledBy: [cloudtrail-look-back]` (the 30-day audit log), so nobody links them by hand.
 * Returns the artifacts linked; a link already there is left as it is, and logs short of the window link nothing.
 */
export function fileLookBackImport(ctx: CoreContext, actor: Actor, incidentId: string, evidenceIds: readonly string[], span: HeldSpan): string[] {
  if (evidenceIds.length === 0 || !spansLookBack(span, lookBackWindow(ctx, incidentId))) return [];
  const artifacts = artifactsFilledBy(ctx.db, incidentId, 'cloudtrail-look-back');
  for (const artifact of artifacts) for (const id of evidenceIds) linkStep(ctx, actor, incidentId, id, artifact);
  return artifacts;
}
