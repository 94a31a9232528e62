import type { IncidentTimelineFilter, TimelineCount, TimelineCursor, TimelineEntry, TimelineSlice, TimelineSource } from '../../shared/timeline';
import { TIMELINE_SOURCES } from '../../shared/timeline';
import { EventsRepository } from '../cloudtrail/store/events-repository';
import type { Db } from '../store/database';
import { CloudTextSearch } from './cloud-text';
import { type CloudText, SOURCE_RANK, type TimelineKey, TimelineRepository } from './timeline-repository';

/** Counts stop here: beyond it the timeline says "at least 10,000", and a keystroke never counts a million rows. */
export const COUNT_CAP = 10_000;

interface SourcedKey extends TimelineKey {
  source: TimelineSource;
  rank: number;
}

const byKey = (a: SourcedKey, b: SourcedKey) => a.t - b.t || a.rank - b.rank || a.r - b.r;

/** The sources a filter can show: the cloud-only filters (cloud, identity, service, high-risk) hide the others. */
export function sourcesOf(f: IncidentTimelineFilter): TimelineSource[] {
  const cloudOnly = Boolean(f.cloud || f.principal || f.service || f.highRiskOnly);
  const asked = f.sources?.length ? f.sources : TIMELINE_SOURCES;
  return TIMELINE_SOURCES.filter((s) => asked.includes(s) && (s === 'cloud' || !cloudOnly) && !(s === 'database' && (f.errorsOnly || f.agentOnly)));
}

/**
 * The incident's one timeline over cloud calls, database statements and agent tool calls: each source is walked down an
 * index from the cursor, the walks are merged by (time, source rank, row), and only the page's own rows are read.
 */
export class IncidentTimeline {
  private readonly repo: TimelineRepository;
  private readonly events: EventsRepository;
  private readonly text: CloudTextSearch;

  constructor(db: Db) {
    this.repo = new TimelineRepository(db);
    this.events = new EventsRepository(db);
    this.text = new CloudTextSearch(this.repo);
  }

  private cloudPlan(incidentId: string, f: IncidentTimelineFilter): Array<CloudText | null> {
    return f.text ? this.text.plan(incidentId, f.text) : [null];
  }

  /** The next `limit` keys of one source's walks (several for a text search, merged and each row once). */
  private keys(incidentId: string, source: TimelineSource, f: IncidentTimelineFilter, after: TimelineCursor | undefined, limit: number): SourcedKey[] {
    const rank = SOURCE_RANK[source];
    const tag = (k: TimelineKey): SourcedKey => ({ ...k, source, rank });
    if (source === 'database') return this.repo.databaseKeys(incidentId, f, after, limit).map(tag);
    if (source === 'agent') return this.repo.agentKeys(incidentId, f, after, limit).map(tag);
    const walks = this.cloudPlan(incidentId, f).map((t) => this.repo.cloudKeys(incidentId, f, t, after, limit));
    if (walks.length === 1) return (walks[0] ?? []).map(tag);
    const seen = new Set<number>();
    return walks
      .flat()
      .filter((k) => !seen.has(k.r) && seen.add(k.r))
      .map(tag)
      .sort(byKey)
      .slice(0, limit);
  }

  private count(incidentId: string, sources: TimelineSource[], f: IncidentTimelineFilter): TimelineCount {
    const cap = COUNT_CAP + 1;
    const bySource: Record<TimelineSource, number> = { agent: 0, cloud: 0, database: 0 };
    for (const s of sources) {
      if (s === 'database') bySource.database = this.repo.databaseCount(incidentId, f, cap);
      else if (s === 'agent') bySource.agent = this.repo.agentCount(incidentId, f, cap);
      else {
        const plan = this.cloudPlan(incidentId, f);
        if (plan.length === 1) bySource.cloud = this.repo.cloudCount(incidentId, f, plan[0] ?? null, cap);
        else {
          // A call can match by name and by principal: count each row once.
          const rows = new Set<number>();
          for (const t of plan) {
            for (const r of this.repo.cloudRowids(incidentId, f, t, cap)) rows.add(r);
            if (rows.size >= cap) break;
          }
          bySource.cloud = Math.min(rows.size, cap);
        }
      }
    }
    const total = bySource.agent + bySource.cloud + bySource.database;
    const capped = Object.values(bySource).some((n) => n >= cap) || total > COUNT_CAP;
    for (const s of TIMELINE_SOURCES) bySource[s] = Math.min(bySource[s], COUNT_CAP);
    return { value: Math.min(total, COUNT_CAP), capped, cap: COUNT_CAP, bySource };
  }

  page(incidentId: string, f: IncidentTimelineFilter, after: TimelineCursor | undefined, limit: number): TimelineSlice {
    const sources = sourcesOf(f);
    const merged = sources
      .flatMap((s) => this.keys(incidentId, s, f, after, limit + 1))
      .sort(byKey)
      .slice(0, limit + 1);
    const shown = merged.slice(0, limit);
    const last = shown[shown.length - 1];
    const next = merged.length > limit && last ? { t: last.t, s: last.rank, r: last.r } : null;
    return { entries: this.entries(incidentId, shown), next, count: after ? null : this.count(incidentId, sources, f) };
  }

  /** The page's rows read by rowid, source by source, in the keys' order, each with its simultaneity across sources. */
  private entries(incidentId: string, keys: SourcedKey[]): TimelineEntry[] {
    const ids = (s: TimelineSource) => keys.filter((k) => k.source === s).map((k) => k.r);
    const cloud = this.events.byRowids(incidentId, ids('cloud'));
    const database = new Map(this.repo.databaseRows(incidentId, ids('database')).map((r) => [r.row_id, r]));
    const agent = new Map(this.repo.agentRows(incidentId, ids('agent')).map((r) => [r.row_id, r]));
    const out: TimelineEntry[] = [];
    for (const k of keys) {
      const cursor = { t: k.t, s: k.rank, r: k.r };
      const sec = Math.floor(k.t / 1000);
      if (k.source === 'cloud') {
        const c = cloud.get(k.r);
        if (!c) continue;
        const simultaneous = c.event.simultaneous || this.otherSourcesInSecond('cloud', incidentId, sec, c.wholeSecond);
        out.push({ source: 'cloud', key: `cloud:${c.event.eventID}`, at: c.event.eventTime, timeMs: k.t, destructive: c.destructive, simultaneous, cursor, event: c.event });
      } else if (k.source === 'database') {
        const d = database.get(k.r);
        if (!d) continue;
        const whole = d.source === 'mariadb-binlog';
        const simultaneous = this.otherSourcesInSecond('database', incidentId, sec, whole);
        out.push({
          source: 'database',
          key: `database:${d.row_id}`,
          at: d.at,
          timeMs: k.t,
          destructive: d.destructive === 1,
          simultaneous,
          cursor,
          statement: {
            at: d.at,
            source: d.source,
            login: d.login,
            database: d.database,
            session: d.session,
            operation: d.operation,
            destructive: d.destructive === 1,
            table: d.table_name ? d.table_name : null,
            rows: d.rows,
            statement: d.statement,
            line: d.line,
            evidenceId: d.evidence_id,
          },
        });
      } else {
        const a = agent.get(k.r);
        if (!a) continue;
        const simultaneous = this.otherSourcesInSecond('agent', incidentId, sec, false);
        out.push({
          source: 'agent',
          key: `agent:${a.row_id}`,
          at: a.started_at,
          timeMs: k.t,
          destructive: a.destructive === 1,
          simultaneous,
          cursor,
          call: { importId: a.import_id, traceId: a.trace_id, stepId: a.step_id, name: a.name, end: a.ended_at, destructiveBecause: a.destructive_because, error: a.error },
        });
      }
    }
    return out;
  }

  /**
   * Whether an entry of another source fell in the same whole second while one of the two has whole seconds only.
   * Within one source the order is known (the file's), except among CloudTrail calls, which the cloud list marks.
   */
  private otherSourcesInSecond(own: TimelineSource, incidentId: string, sec: number, wholeSecond: boolean): boolean {
    return TIMELINE_SOURCES.some((s) => s !== own && this.repo.inSecond(s, incidentId, sec, -1, !wholeSecond));
  }
}
