import { plural } from '../../shared/plural';
import type { KeyEvent } from '../../shared/reports';
import type { Db } from '../store/database';
import { DestructiveCallsRepository } from './destructive-calls-repository';

/** Enough rows for any incident a person reads row by row; beyond it the timeline says how many more there are. */
const MAX_ROWS = 200;

/**
 * Every successful destructive call by an agent identity after the first (which the "Destructive action" row dates),
 * each a row of its own in the key timeline: legal needs the whole list of what was destroyed and when, not a summary.
 */
export function laterDestructiveCalls(db: Db, incidentId: string, first: KeyEvent): KeyEvent[] {
  if (!first.at) return [];
  const { calls, total } = new DestructiveCallsRepository(db).list(incidentId, MAX_ROWS + 1);
  const firstId = /\(event ([^)]+)\)/.exec(first.detail)?.[1];
  const later = calls.filter((c) => c.eventId !== firstId).slice(0, MAX_ROWS);
  const rows: KeyEvent[] = later.map((c) => ({
    kind: 'destructive-action',
    label: 'Destructive call',
    at: c.eventTime,
    detail: `${c.eventSource} ${c.eventName} by ${c.principal}${c.resources.length ? ` on ${c.resources.slice(0, 3).join(', ')}` : ''} (event ${c.eventId}).`,
  }));
  const left = total - (firstId && calls.some((c) => c.eventId === firstId) ? 1 : 0) - later.length;
  if (left > 0) {
    rows.push({
      kind: 'destructive-action',
      label: 'Destructive calls',
      at: null,
      detail: `${plural(left, 'more destructive call')} by agent identities after these: the CloudTrail timeline lists each.`,
    });
  }
  return rows;
}
