import { type DataCategory, NOTIFICATION_CLOCKS } from '../../shared/playbook/regulatory';
import type { RegulatoryClock } from '../../shared/workflow';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Adds business days (Monday to Friday, UTC). Public holidays are not counted out: counsel confirms the exact date. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setTime(d.getTime() + DAY);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return d;
}

function dueFrom(start: Date, amount: number, unit: 'hours' | 'calendar-days' | 'business-days'): Date {
  if (unit === 'hours') return new Date(start.getTime() + amount * HOUR);
  if (unit === 'calendar-days') return new Date(start.getTime() + amount * DAY);
  return addBusinessDays(start, amount);
}

const UNIT_WORDS = { hours: 'hours', 'calendar-days': 'calendar days', 'business-days': 'business days' } as const;

export interface ClockInputs {
  categories: readonly DataCategory[];
  awarenessAt: string;
  materialityAt: string | null;
  notifications: ReadonlyMap<string, { at: string; note: string | null }>;
  now: Date;
}

/**
 * The notification deadlines the confirmed data categories start. GDPR and HIPAA count from awareness (discovery), SEC
 * Item 1.05 from the materiality determination, which stays unstarted until someone records it.
 */
export function regulatoryClocks(i: ClockInputs): RegulatoryClock[] {
  const out: RegulatoryClock[] = [];
  for (const category of i.categories) {
    for (const c of NOTIFICATION_CLOCKS[category]) {
      const start = c.startsAt === 'materiality-determination' ? i.materialityAt : i.awarenessAt;
      const due = start ? dueFrom(new Date(start), c.deadline.amount, c.deadline.unit) : null;
      const notified = i.notifications.get(c.regime) ?? null;
      const status = notified ? 'notified' : !due ? 'waiting' : due.getTime() < i.now.getTime() ? 'overdue' : 'running';
      out.push({
        category,
        regime: c.regime,
        rule: c.rule,
        notify: c.notify,
        startsAt: c.startsAt,
        startedAt: start,
        dueAt: due ? due.toISOString() : null,
        deadline: `${c.deadline.amount} ${UNIT_WORDS[c.deadline.unit]}`,
        notifiedAt: notified?.at ?? null,
        notificationNote: notified?.note ?? null,
        status,
      });
    }
  }
  return out;
}
