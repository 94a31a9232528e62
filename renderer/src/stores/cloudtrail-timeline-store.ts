import type { ActivityChartData } from '../../../electron/shared/cloudlogs';
import type { TimelineEvent, TimelineEventDetail, TimelineFilter } from '../../../electron/shared/cloudtrail';
import type { ApiOutput } from '../../../electron/shared/contract/index';
import { api } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

export const TIMELINE_PAGE = 200;

/**
 * Every call of the incident as pages the server filters and slices: the list shows only the rows on screen, and a
 * page is read when one of its rows comes into view, so 100,000+ events scroll as smoothly as 100.
 */
interface TimelineState extends IncidentScoped {
  filter: TimelineFilter;
  /** Calls per second of each identity over time, for the cloud the filter shows (or all). */
  activity: ActivityChartData | null;
  facets: ApiOutput<'cloudtrail.facets'> | null;
  total: number;
  pages: Map<number, TimelineEvent[]>;
  /** The event opened for its full record. */
  detail: TimelineEventDetail | null;
  /** Reads the facets and the first page again (new events may have arrived). */
  load(incidentId: string): Promise<void>;
  setFilter(patch: Partial<TimelineFilter>): Promise<void>;
  /** Reads the pages holding rows first..last that are not read yet. */
  showRows(first: number, last: number): void;
  open(eventId: string): Promise<void>;
  close(): void;
  markSupport(findingId: string, note: string): Promise<void>;
}

/** Drops what the filter does not use, so the same filter always reads the same. */
const cleaned = (f: TimelineFilter): TimelineFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '' && v !== false)) as TimelineFilter;

export const useCloudTrailTimeline = defineStore<TimelineState>((set, get) => {
  const scope = incidentScope<TimelineState>(set, get, () => ({ filter: {}, facets: null, activity: null, total: 0, pages: new Map(), detail: null }));
  const activity = async (incidentId: string) => {
    const cloud = get().filter.cloud;
    return { activity: await api('logs.activity', { incidentId, ...(cloud ? { cloud } : {}) }) };
  };
  // Pages asked for under the current filter; a new filter starts over.
  let asked = new Set<number>();
  const page = async (incidentId: string, p: number) => {
    const filter = get().filter;
    const answer = await api('cloudtrail.events', { incidentId, filter, offset: p * TIMELINE_PAGE, limit: TIMELINE_PAGE });
    // An answer for a filter no longer shown is dropped.
    if (get().filter !== filter) return {};
    return { total: answer.total, pages: new Map(get().pages).set(p, answer.events) };
  };
  const firstPage = (incidentId: string) => {
    asked = new Set([0]);
    set({ pages: new Map(), total: 0 });
    return page(incidentId, 0);
  };
  return {
    ...notOpened,
    filter: {},
    facets: null,
    activity: null,
    total: 0,
    pages: new Map(),
    detail: null,
    async load(incidentId) {
      await scope.load(incidentId, async () => {
        const [facets, first, chart] = await Promise.all([api('cloudtrail.facets', { incidentId }), firstPage(incidentId), activity(incidentId)]);
        return { facets, ...first, ...chart };
      });
    },
    async setFilter(patch) {
      const cloudBefore = get().filter.cloud;
      set({ filter: cleaned({ ...get().filter, ...patch }) });
      // The chart follows the cloud filter only; the other filters narrow the list.
      if (get().filter.cloud !== cloudBefore) await scope.act(async (incidentId) => ({ ...(await firstPage(incidentId)), ...(await activity(incidentId)) }));
      else await scope.act(firstPage);
    },
    showRows(first, last) {
      for (let p = Math.floor(first / TIMELINE_PAGE); p <= Math.floor(last / TIMELINE_PAGE); p++) {
        if (asked.has(p)) continue;
        asked.add(p);
        void scope.act((incidentId) => page(incidentId, p));
      }
    },
    async open(eventId) {
      await scope.act(async (incidentId) => ({ detail: await api('cloudtrail.event', { incidentId, eventId }) }), 'event');
    },
    close() {
      set({ detail: null });
    },
    async markSupport(findingId, note) {
      const detail = get().detail;
      if (!detail) return;
      await scope.act(async (incidentId) => {
        const support = await api('cloudtrail.markSupport', { incidentId, eventId: detail.eventID, findingId, ...(note.trim() ? { note: note.trim() } : {}) });
        return { detail: { ...detail, support } };
      }, 'event');
    },
  };
});
