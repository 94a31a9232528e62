import type { ActivityChartData } from '../../../electron/shared/cloudlogs';
import type { TimelineEventDetail } from '../../../electron/shared/cloudtrail';
import type { ApiOutput } from '../../../electron/shared/contract/index';
import type { IncidentTimelineFilter, TimelineCount, TimelineCursor, TimelineEntry } from '../../../electron/shared/timeline';
import { api } from '../api/client';
import { useCloudTrail } from './cloudtrail-store';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';

export const TIMELINE_PAGE = 200;
/** The next page is asked for when the rows on screen come this close to the last one read. */
const READ_AHEAD = 60;

/**
 * The incident's one timeline (cloud calls, database statements, the agent's tool calls) as pages read by key: the
 * first page comes alone, so it shows before the facets and the chart (which read the whole incident) are asked for;
 * the next page is read when the list nears the end of what it holds.
 */
interface TimelineState extends IncidentScoped {
  filter: IncidentTimelineFilter;
  /** Calls per second of each identity over time, for the cloud the filter shows (or all). */
  activity: ActivityChartData | null;
  facets: ApiOutput<'cloudtrail.facets'> | null;
  /** What the filter matches, counted up to a cap. */
  count: TimelineCount | null;
  entries: TimelineEntry[];
  /** Where the next page starts; null when every entry is read. */
  next: TimelineCursor | null;
  /**
   * The first page of the filter shown is being read. Apart from the status, which stays busy while the facets and
   * the chart (reads of the whole incident) are still coming, so the list says when its own rows are in.
   */
  reading: boolean;
  /** The event opened for its full record. */
  detail: TimelineEventDetail | null;
  /**
   * Reads the first page again, then the facets and the chart (new events may have arrived). A load of the same
   * incident and events already under way is joined, not repeated: the tab's click starts it, the panel's mount joins.
   */
  load(incidentId: string): Promise<void>;
  setFilter(patch: Partial<IncidentTimelineFilter>): Promise<void>;
  /** Reads the next page when row `last` is near the end of what is read. */
  showRows(first: number, last: number): void;
  open(eventId: string): Promise<void>;
  close(): void;
  markSupport(findingId: string, note: string): Promise<void>;
}

/** Drops what the filter does not use, so the same filter always reads the same. */
const cleaned = (f: IncidentTimelineFilter): IncidentTimelineFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '' && v !== false && !(Array.isArray(v) && v.length === 0))) as IncidentTimelineFilter;

export const useCloudTrailTimeline = defineStore<TimelineState>((set, get) => {
  const blank = () => ({ filter: {}, facets: null, activity: null, count: null, entries: [], next: null, reading: true, detail: null });
  const scope = incidentScope<TimelineState>(set, get, blank);
  const activity = async (incidentId: string) => {
    const cloud = get().filter.cloud;
    return { activity: await api('logs.activity', { incidentId, ...(cloud ? { cloud } : {}) }) };
  };
  // The cursor of the page being read, so a page is asked for once.
  let reading: TimelineCursor | null = null;
  const firstPage = async (incidentId: string): Promise<Partial<TimelineState>> => {
    const filter = get().filter;
    reading = null;
    set({ reading: true });
    try {
      const answer = await api('timeline.page', { incidentId, filter, limit: TIMELINE_PAGE });
      // An answer for a filter no longer shown is dropped.
      if (get().filter !== filter) return {};
      return { entries: answer.entries, next: answer.next, count: answer.count, reading: false };
    } catch (e) {
      if (get().filter === filter) set({ reading: false });
      throw e;
    }
  };
  const nextPage = async (incidentId: string, after: TimelineCursor): Promise<Partial<TimelineState>> => {
    const filter = get().filter;
    const answer = await api('timeline.page', { incidentId, filter, after, limit: TIMELINE_PAGE });
    if (get().filter !== filter || get().next !== after) return {};
    reading = null;
    return { entries: [...get().entries, ...answer.entries], next: answer.next };
  };
  const readAll = async (incidentId: string) => {
    if (!(await scope.load(incidentId, () => firstPage(incidentId)))) return;
    await scope.act(async (id) => {
      const [facets, chart] = await Promise.all([api('cloudtrail.facets', { incidentId: id }), activity(id)]);
      return { facets, ...chart };
    });
  };
  // The load under way, with the incident and the events (the summary's version) it reads.
  let loading: { incidentId: string; version: number; done: Promise<void> } | null = null;
  return {
    ...notOpened,
    ...blank(),
    async load(incidentId) {
      const version = useCloudTrail.getState().version;
      if (loading?.incidentId === incidentId && loading.version === version) return loading.done;
      const done = readAll(incidentId);
      loading = { incidentId, version, done };
      try {
        await done;
      } finally {
        if (loading?.done === done) loading = null;
      }
    },
    async setFilter(patch) {
      const cloudBefore = get().filter.cloud;
      set({ filter: cleaned({ ...get().filter, ...patch }) });
      // The chart follows the cloud filter only; the other filters narrow the list.
      const rows = scope.act(firstPage);
      if (get().filter.cloud !== cloudBefore) await Promise.all([rows, scope.act(activity)]);
      else await rows;
    },
    showRows(_first, last) {
      const { next, entries } = get();
      if (!next || reading === next || last < entries.length - READ_AHEAD) return;
      reading = next;
      void scope.act((incidentId) => nextPage(incidentId, next));
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
