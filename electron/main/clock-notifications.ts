import { Notification } from 'electron';
import type { Core } from '../core/index';
import type { Incident } from '../shared/domain';
import type { IncidentRun } from '../shared/workflow';

const CHECK_EVERY_MS = 5 * 60_000;
/** Warn once a day before a deadline and once when it passes. */
const WARN_BEFORE_MS = 24 * 3_600_000;

/**
 * OS notifications for regulatory deadlines, so a clock is not missed while the window is in the background. Each
 * (incident, regime, threshold) is announced once per run of the app.
 */
export function watchRegulatoryClocks(core: Core): () => void {
  const announced = new Set<string>();
  const check = async () => {
    if (!Notification.isSupported()) return;
    const list = await core.call('incidents.list', {});
    if (!list.ok) return;
    for (const incident of (list.value as Incident[]).filter((i) => i.status === 'open')) {
      const r = await core.call('workflow.get', { id: incident.id });
      if (!r.ok) continue;
      for (const clock of (r.value as IncidentRun).clocks) {
        if (clock.status === 'notified' || !clock.dueAt) continue;
        const left = Date.parse(clock.dueAt) - Date.now();
        const threshold = left < 0 ? 'overdue' : left < WARN_BEFORE_MS ? 'due-soon' : null;
        if (!threshold) continue;
        const key = `${incident.id}|${clock.regime}|${threshold}`;
        if (announced.has(key)) continue;
        announced.add(key);
        new Notification({
          title: threshold === 'overdue' ? `${clock.regime} deadline passed` : `${clock.regime} deadline within 24 hours`,
          body: `${incident.id} ${incident.title}: notify ${clock.notify} (${clock.rule}) by ${new Date(clock.dueAt).toUTCString()}.`,
          urgency: 'critical',
        }).show();
      }
    }
  };
  void check();
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  return () => clearInterval(timer);
}
