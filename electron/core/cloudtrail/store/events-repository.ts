import type { ActivityChartData, ActivitySeries } from '../../../shared/cloudlogs';
import type { HighRiskRuleRef, TimelineEvent, TimelineEventDetail, TimelineFilter, TimelinePage } from '../../../shared/cloudtrail';
import type { Db } from '../../store/database';
import { type HighRiskTable, attackOf, ruleRef } from '../analyse/high-risk';
import type { Identity, NormalizedEvent } from '../import/normalize';
import { resourcesOf } from '../import/normalize';
import type { ViewNormalizer } from '../import/normalize-view';
import { F, type RecordView } from '../import/record-view';

/** One stored call: the normalized fields the timeline filters on, and the record exactly as received. */
export interface EventRow {
  incident_id: string;
  event_id: string;
  event_time: string;
  time_sec: number;
  event_source: string;
  service: string;
  event_name: string;
  aws_region: string | null;
  principal: string;
  principal_label: string;
  principal_type: string | null;
  identity: string;
  user_agent: string | null;
  ua_kind: string;
  source_ip: string | null;
  read_only: number | null;
  error_code: string | null;
  error_message: string | null;
  rules: string | null;
  attack: string | null;
  destructive: number;
  resources: string;
  agent: string | null;
  evidence_id: string | null;
  collection_id: string;
  cloud: 'aws' | 'azure' | 'gcp';
  /** Milliseconds since the epoch; whole seconds for CloudTrail, whose `sub_second` is 0. */
  time_ms: number;
  sub_second: number;
  /** Folds the two records of one Azure or GCP operation into one row; null for a record that stands alone. */
  operation_key: string | null;
  /** 1 while the row holds only an operation's start record (its outcome not yet seen). */
  started: number;
  record: string;
}

export interface RowContext {
  incidentId: string;
  collectionId: string;
  evidenceId: string | null;
  normalizer: ViewNormalizer;
  table: HighRiskTable;
}

/** Builds the stored row of a record; the whole record is parsed (import validates every record it keeps). */
export function eventRow(view: RecordView, c: RowContext): EventRow {
  const record = view.object();
  const { ev, agent } = c.normalizer.normalize(view);
  const rules = ev.readOnly === true ? [] : c.table.classify(record, ev.eventSource, ev.eventName);
  return {
    incident_id: c.incidentId,
    event_id: ev.eventID,
    event_time: ev.eventTime,
    time_sec: ev.timeSec,
    event_source: ev.eventSource,
    service: ev.service,
    event_name: ev.eventName,
    aws_region: ev.awsRegion,
    principal: ev.principalKey,
    principal_label: ev.principalLabel,
    principal_type: ev.identity.type,
    identity: JSON.stringify(ev.identity),
    user_agent: ev.userAgent,
    ua_kind: ev.uaKind,
    source_ip: ev.sourceIPAddress,
    read_only: ev.readOnly === null ? null : ev.readOnly ? 1 : 0,
    error_code: ev.errorCode,
    error_message: ev.errorMessage,
    rules: rules.length ? JSON.stringify(rules.map((r) => r.id)) : null,
    attack: rules.length ? JSON.stringify(attackOf(rules)) : null,
    destructive: (ev.destructive && ev.readOnly !== true) || rules.length ? 1 : 0,
    resources: JSON.stringify(resourcesOf({ requestParameters: view.value(F.RequestParameters), resources: view.value(F.Resources) }, ev.service)),
    agent: agent?.identity ?? null,
    evidence_id: c.evidenceId,
    collection_id: c.collectionId,
    cloud: 'aws',
    time_ms: ev.timeSec * 1000,
    sub_second: 0,
    operation_key: null,
    started: 0,
    record: view.text(),
  };
}

/** A stored row turned back into what the analysis consumes. */
export function storedEvent(r: Omit<EventRow, 'record'>): { ev: NormalizedEvent; rules: string[]; resources: string[] } {
  const identity = JSON.parse(r.identity) as Identity;
  return {
    ev: {
      eventID: r.event_id,
      eventTime: r.event_time,
      timeSec: r.time_sec,
      timeMs: r.time_ms ?? r.time_sec * 1000,
      subSecond: r.sub_second === 1,
      eventSource: r.event_source,
      service: r.service,
      eventName: r.event_name,
      awsRegion: r.aws_region,
      sourceIPAddress: r.source_ip,
      userAgent: r.user_agent,
      uaKind: r.ua_kind as NormalizedEvent['uaKind'],
      readOnly: r.read_only === null ? null : r.read_only === 1,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      identity,
      principalKey: r.principal,
      principalLabel: r.principal_label,
      destructive: r.destructive === 1,
    },
    rules: r.rules ? (JSON.parse(r.rules) as string[]) : [],
    resources: JSON.parse(r.resources) as string[],
  };
}

const COLUMNS = [
  'incident_id', 'event_id', 'event_time', 'time_sec', 'event_source', 'service', 'event_name', 'aws_region', 'principal',
  'principal_label', 'principal_type', 'identity', 'user_agent', 'ua_kind', 'source_ip', 'read_only', 'error_code',
  'error_message', 'rules', 'attack', 'destructive', 'resources', 'agent', 'evidence_id', 'collection_id', 'cloud', 'time_ms',
  'sub_second', 'operation_key', 'started', 'record',
] as const;

const LIST_COLUMNS = `event_id, event_time, event_source, service, event_name, aws_region, principal, principal_label, principal_type,
  agent, read_only, error_code, rules, attack, burst, source_ip, user_agent, cloud, time_sec, sub_second`;

/**
 * Whether another call of the incident fell in the same whole second while one of the two has whole seconds only
 * (CloudTrail): then neither the time nor the export file's order says which came first.
 */
const SIMULTANEOUS = `EXISTS (SELECT 1 FROM cloudtrail_events o WHERE o.incident_id = cloudtrail_events.incident_id
  AND o.time_ms BETWEEN cloudtrail_events.time_sec * 1000 AND cloudtrail_events.time_sec * 1000 + 999 AND o.event_id <> cloudtrail_events.event_id AND (o.sub_second = 0 OR cloudtrail_events.sub_second = 0)) AS simultaneous`;

/**
 * Time order: sub-second sources (Azure, GCP) by their milliseconds; calls within one CloudTrail second keep the order
 * they were stored in (the file's), never their event ids' alphabetical order, and are marked simultaneous. Every row has
 * `time_ms` (migration 020) and `time_sec` is its whole second, so this is the order of whole seconds, then milliseconds,
 * then rowid, read from the `time_ms` indexes (migration 024 dropped the `time_sec` ones). The same holds for the
 * same-second test above.
 */
const TIME_ORDER = 'time_ms, rowid';

type ListRow = Pick<
  EventRow,
  'event_id' | 'event_time' | 'event_source' | 'service' | 'event_name' | 'aws_region' | 'principal' | 'principal_label' | 'principal_type' | 'agent' | 'read_only' | 'error_code' | 'rules' | 'attack' | 'source_ip' | 'user_agent' | 'cloud' | 'time_sec' | 'sub_second'
> & { burst: number; simultaneous: number };

export class EventsRepository {
  private readonly insertStmt;
  private readonly insertRecord;
  private readonly findOperation;
  private readonly settleOperation;
  private readonly moveToStart;

  constructor(private readonly db: Db) {
    const cols = COLUMNS.filter((c) => c !== 'record');
    this.insertStmt = db.prepare(`INSERT OR IGNORE INTO cloudtrail_events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
    this.insertRecord = db.prepare('INSERT INTO cloudtrail_records (incident_id, event_id, record) VALUES (?, ?, ?)');
    this.findOperation = db.prepare('SELECT event_id, started, time_ms FROM cloudtrail_events WHERE incident_id = ? AND operation_key = ? AND cloud = ? LIMIT 1');
    this.moveToStart = db.prepare(
      'UPDATE cloudtrail_events SET event_time = @event_time, time_sec = @time_sec, time_ms = @time_ms WHERE incident_id = @incident_id AND event_id = @event_id',
    );
    this.settleOperation = db.prepare(
      'UPDATE cloudtrail_events SET started = 0, error_code = @error_code, error_message = @error_message WHERE incident_id = @incident_id AND event_id = @event_id',
    );
  }

  /**
   * The second record of an operation already stored (Azure outcome after its Start, GCP last entry after its first)
   * is not a call of its own: an outcome settles the stored row's status. Exports are not always oldest first (`gcloud
   * logging read` is newest first; an Azure outcome can sit in an earlier blob), so when the start arrives after its
   * outcome, the stored call takes the start's time: a call happened when it began. Returns whether the record was folded.
   */
  private fold(r: EventRow): boolean {
    if (r.operation_key === null) return false;
    const earlier = this.findOperation.get(r.incident_id, r.operation_key, r.cloud) as { event_id: string; started: number; time_ms: number | null } | undefined;
    // The very record stored before (the same file imported again) is a repeat, which the insert drops as one.
    if (!earlier || earlier.event_id === r.event_id) return false;
    if (earlier.started === 1 && r.started === 0) {
      this.settleOperation.run({ incident_id: r.incident_id, event_id: earlier.event_id, error_code: r.error_code, error_message: r.error_message });
    } else if (earlier.started === 0 && r.started === 1 && earlier.time_ms !== null && r.time_ms < earlier.time_ms) {
      this.moveToStart.run({ incident_id: r.incident_id, event_id: earlier.event_id, event_time: r.event_time, time_sec: r.time_sec, time_ms: r.time_ms });
    }
    return true;
  }

  /**
   * Inserts calls not seen before (by the source's record id, and by operation for paired records); returns how many
   * were new and how many were folded into their operation's stored call. Call inside the transaction of its ledger entry.
   */
  insert(rows: readonly EventRow[]): { added: number; paired: number } {
    let added = 0;
    let paired = 0;
    for (const r of rows) {
      if (this.fold(r)) {
        paired++;
        continue;
      }
      if (this.insertStmt.run(r).changes) {
        this.insertRecord.run(r.incident_id, r.event_id, r.record);
        added++;
      }
    }
    return { added, paired };
  }

  /** Every event of the incident without its record (what the analysis reads). */
  *iterate(incidentId: string): Generator<Omit<EventRow, 'record'>> {
    const cols = COLUMNS.filter((c) => c !== 'record').join(', ');
    yield* this.db.prepare(`SELECT ${cols} FROM cloudtrail_events WHERE incident_id = ?`).iterate(incidentId) as Iterable<Omit<EventRow, 'record'>>;
  }

  /**
   * Calls per identity over time, for the activity chart: the agents first, then the busiest, at most `maxSeries`; the
   * time axis cut into at most `maxBuckets` buckets, each with its calls, its busiest second and its destructive calls.
   */
  activity(incidentId: string, cloud: 'aws' | 'azure' | 'gcp' | undefined, maxSeries: number, maxBuckets: number): ActivityChartData {
    const where = cloud ? 'incident_id = ? AND cloud = ?' : 'incident_id = ?';
    const args: unknown[] = cloud ? [incidentId, cloud] : [incidentId];
    const span = this.db.prepare(`SELECT min(time_ms) / 1000 AS start, max(time_ms) / 1000 AS end, count(DISTINCT principal) AS identities FROM cloudtrail_events WHERE ${where}`).get(...args) as {
      start: number | null;
      end: number | null;
      identities: number;
    };
    if (span.start === null || span.end === null) return { start: 0, end: 0, bucketSeconds: 1, series: [], identitiesNotShown: 0 };
    const { start, end } = span;
    const bucketSeconds = Math.max(1, Math.ceil((end - start + 1) / maxBuckets));
    const chosen = this.db
      .prepare(
        `SELECT principal, max(principal_label) AS label, max(cloud) AS cloud, count(*) AS calls, max(agent IS NOT NULL) AS agent FROM cloudtrail_events
         WHERE ${where} GROUP BY principal ORDER BY agent DESC, calls DESC, principal LIMIT ?`,
      )
      .all(...args, maxSeries) as Array<{ principal: string; label: string; cloud: 'aws' | 'azure' | 'gcp'; calls: number; agent: number }>;
    const buckets = this.db.prepare(
      `SELECT ? + ((time_sec - ?) / ?) * ? AS t, sum(n) AS calls, max(n) AS peak, sum(d) AS destructive FROM (
         SELECT time_sec, count(*) AS n, sum(destructive) AS d FROM cloudtrail_events WHERE ${where} AND principal = ? GROUP BY time_sec
       ) GROUP BY t ORDER BY t`,
    );
    const series = chosen.map((c) => {
      const points = buckets.all(start, start, bucketSeconds, bucketSeconds, ...args, c.principal) as ActivitySeries['points'];
      return { principal: c.principal, label: c.label, cloud: c.cloud, agent: c.agent === 1, calls: c.calls, peakPerSecond: Math.max(0, ...points.map((p) => p.peak)), points };
    });
    return { start, end, bucketSeconds, series, identitiesNotShown: Math.max(0, span.identities - series.length) };
  }

  /** Calls per cloud in the incident. */
  byCloud(incidentId: string): Record<'aws' | 'azure' | 'gcp', number> {
    const out = { aws: 0, azure: 0, gcp: 0 };
    for (const r of this.db.prepare('SELECT cloud, count(*) AS n FROM cloudtrail_events WHERE incident_id = ? GROUP BY cloud').all(incidentId) as Array<{ cloud: keyof typeof out; n: number }>) {
      out[r.cloud] = r.n;
    }
    return out;
  }

  stats(incidentId: string): { events: number; first: number | null; last: number | null } {
    const r = this.db.prepare('SELECT count(*) AS n, min(time_ms) / 1000 AS first, max(time_ms) / 1000 AS last FROM cloudtrail_events WHERE incident_id = ?').get(incidentId) as {
      n: number;
      first: number | null;
      last: number | null;
    };
    return { events: r.n, first: r.first, last: r.last };
  }

  private where(incidentId: string, f: TimelineFilter): { sql: string; args: unknown[] } {
    const parts = ['incident_id = ?'];
    const args: unknown[] = [incidentId];
    const add = (sql: string, ...values: unknown[]) => {
      parts.push(sql);
      args.push(...values);
    };
    if (f.principal) add('principal = ?', f.principal);
    if (f.service) add('service = ?', f.service);
    if (f.highRiskOnly) add('rules IS NOT NULL');
    if (f.errorsOnly) add('error_code IS NOT NULL');
    if (f.agentOnly) add('agent IS NOT NULL');
    if (f.cloud) add('cloud = ?', f.cloud);
    // Whole seconds, the `to` second included, read by milliseconds so the `time_ms` indexes serve the range.
    if (f.from) add('time_ms >= ?', Math.floor(Date.parse(f.from) / 1000) * 1000);
    if (f.to) add('time_ms <= ?', Math.floor(Date.parse(f.to) / 1000) * 1000 + 999);
    if (f.text) {
      add(
        "(instr(lower(event_name), lower(?)) > 0 OR instr(lower(principal), lower(?)) > 0 OR event_id = ? OR instr(lower(coalesce(error_code, '')), lower(?)) > 0)",
        f.text,
        f.text,
        f.text,
        f.text,
      );
    }
    return { sql: parts.join(' AND '), args };
  }

  /** One page of the timeline, in time order; the total lets a virtualized list size itself without loading rows. */
  page(incidentId: string, f: TimelineFilter, offset: number, limit: number): TimelinePage {
    const w = this.where(incidentId, f);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM cloudtrail_events WHERE ${w.sql}`).get(...w.args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT ${LIST_COLUMNS}, ${SIMULTANEOUS} FROM cloudtrail_events WHERE ${w.sql} ORDER BY ${TIME_ORDER} LIMIT ? OFFSET ?`).all(...w.args, limit, offset) as ListRow[];
    const support = this.supportOf(incidentId, rows.map((r) => r.event_id));
    return { total, offset, events: rows.map((r) => toTimeline(r, support.get(r.event_id) ?? [])) };
  }

  /**
   * The listed calls (by rowid, the order the timeline pages by) as timeline rows, with whether each has whole seconds
   * only and is destructive. Rowids not of this incident are left out.
   */
  byRowids(incidentId: string, rowids: readonly number[]): Map<number, { event: TimelineEvent; wholeSecond: boolean; destructive: boolean }> {
    const out = new Map<number, { event: TimelineEvent; wholeSecond: boolean; destructive: boolean }>();
    if (rowids.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT rowid AS row_id, destructive AS is_destructive, ${LIST_COLUMNS}, ${SIMULTANEOUS} FROM cloudtrail_events WHERE +incident_id = ? AND rowid IN (SELECT value FROM json_each(?))`)
      .all(incidentId, JSON.stringify(rowids)) as Array<ListRow & { row_id: number; is_destructive: number }>;
    const support = this.supportOf(incidentId, rows.map((r) => r.event_id));
    for (const r of rows) out.set(r.row_id, { event: toTimeline(r, support.get(r.event_id) ?? []), wholeSecond: r.sub_second === 0, destructive: r.is_destructive === 1 });
    return out;
  }

  private supportOf(incidentId: string, ids: string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT event_id, finding_id FROM cloudtrail_finding_events WHERE incident_id = ? AND event_id IN (${ids.map(() => '?').join(',')}) ORDER BY finding_id`)
      .all(incidentId, ...ids) as Array<{ event_id: string; finding_id: string }>;
    for (const r of rows) out.set(r.event_id, [...(out.get(r.event_id) ?? []), r.finding_id]);
    return out;
  }

  detail(incidentId: string, eventId: string, table: HighRiskTable): TimelineEventDetail | undefined {
    const r = this.db
      .prepare(
        `SELECT ${LIST_COLUMNS.replace(/(\w+)/g, 'e.$1')}, ${SIMULTANEOUS.replaceAll('cloudtrail_events.', 'e.')}, e.resources, e.error_message, r.record, e.evidence_id FROM cloudtrail_events e
         JOIN cloudtrail_records r ON r.incident_id = e.incident_id AND r.event_id = e.event_id WHERE e.incident_id = ? AND e.event_id = ?`,
      )
      .get(incidentId, eventId) as
      | (ListRow & { resources: string; error_message: string | null; record: string; evidence_id: string | null })
      | undefined;
    if (!r) return undefined;
    const support = this.db
      .prepare('SELECT finding_id, marked_by, marked_at, note FROM cloudtrail_finding_events WHERE incident_id = ? AND event_id = ? ORDER BY finding_id')
      .all(incidentId, eventId) as Array<{ finding_id: string; marked_by: string | null; marked_at: string; note: string | null }>;
    const byId = new Map(table.rules.map((x) => [x.id, x]));
    const rules: HighRiskRuleRef[] = (r.rules ? (JSON.parse(r.rules) as string[]) : []).flatMap((id) => {
      const rule = byId.get(id);
      return rule ? [ruleRef(rule)] : [];
    });
    return {
      ...toTimeline(r, support.map((s) => s.finding_id)),
      resources: JSON.parse(r.resources) as string[],
      rules,
      errorMessage: r.error_message,
      record: JSON.parse(r.record) as unknown,
      evidenceIds: r.evidence_id ? [r.evidence_id] : [],
      support: support.map((s) => ({ findingId: s.finding_id, markedBy: s.marked_by ?? 'analysis', markedAt: s.marked_at, note: s.note })),
    };
  }

  facets(incidentId: string): { principals: Array<{ principalArn: string; label: string; calls: number; agent: boolean }>; services: Array<{ service: string; calls: number }> } {
    const principals = this.db
      .prepare('SELECT principal, max(principal_label) AS label, count(*) AS n, max(agent IS NOT NULL) AS agent FROM cloudtrail_events WHERE incident_id = ? GROUP BY principal ORDER BY n DESC, principal')
      .all(incidentId) as Array<{ principal: string; label: string; n: number; agent: number }>;
    const services = this.db
      .prepare('SELECT service, count(*) AS n FROM cloudtrail_events WHERE incident_id = ? GROUP BY service ORDER BY n DESC, service')
      .all(incidentId) as Array<{ service: string; n: number }>;
    return {
      principals: principals.map((p) => ({ principalArn: p.principal, label: p.label, calls: p.n, agent: p.agent === 1 })),
      services: services.map((s) => ({ service: s.service, calls: s.n })),
    };
  }

  exists(incidentId: string, eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM cloudtrail_events WHERE incident_id = ? AND event_id = ?').get(incidentId, eventId) !== undefined;
  }

  /** The distinct identities (as stored, JSON) that made calls attributed to an agent identity. */
  agentIdentities(incidentId: string, limit: number): string[] {
    return (
      this.db.prepare('SELECT DISTINCT identity FROM cloudtrail_events WHERE incident_id = ? AND agent IS NOT NULL LIMIT ?').all(incidentId, limit) as Array<{
        identity: string;
      }>
    ).map((r) => r.identity);
  }

  /**
   * The incident's destructive calls, agent identities first, then by caller, operation and time: up to `limit` rows,
   * and per caller and operation the count of all of them (listed or not).
   */
  destructiveCalls(incidentId: string, limit: number): { rows: DestructiveRow[]; counts: DestructiveCount[] } {
    const rows = this.db
      .prepare(
        `SELECT principal, principal_label, agent, event_name, event_time, resources, aws_region, error_code, event_id FROM cloudtrail_events
         WHERE incident_id = ? AND destructive = 1 ORDER BY agent IS NULL, principal, event_name, ${TIME_ORDER} LIMIT ?`,
      )
      .all(incidentId, limit) as DestructiveRow[];
    const counts = this.db
      .prepare(
        `SELECT principal, max(principal_label) AS principal_label, max(agent) AS agent, event_name, count(*) AS calls, count(error_code) AS failed
         FROM cloudtrail_events WHERE incident_id = ? AND destructive = 1 GROUP BY principal, event_name ORDER BY max(agent) IS NULL, principal, event_name`,
      )
      .all(incidentId) as DestructiveCount[];
    return { rows, counts };
  }

  /** Destructive or high-risk calls by agent identities in a window of epoch seconds, oldest first. */
  agentRiskyCalls(incidentId: string, startSec: number, endSec: number): RiskyCall[] {
    return this.db
      .prepare(
        `SELECT event_id, event_time, event_name, event_source, principal, error_code FROM cloudtrail_events
         WHERE incident_id = ? AND agent IS NOT NULL AND (destructive = 1 OR rules IS NOT NULL) AND time_ms BETWEEN ? AND ?
         ORDER BY ${TIME_ORDER}`,
      )
      // The whole seconds from startSec to endSec, both included, in milliseconds.
      .all(incidentId, Math.ceil(startSec) * 1000, Math.floor(endSec) * 1000 + 999) as RiskyCall[];
  }
}

export interface DestructiveRow {
  principal: string;
  principal_label: string;
  agent: string | null;
  event_name: string;
  event_time: string;
  resources: string;
  aws_region: string | null;
  error_code: string | null;
  event_id: string;
}

export interface DestructiveCount {
  principal: string;
  principal_label: string;
  agent: string | null;
  event_name: string;
  calls: number;
  failed: number;
}

export interface RiskyCall {
  event_id: string;
  event_time: string;
  event_name: string;
  event_source: string;
  principal: string;
  error_code: string | null;
}

function toTimeline(r: ListRow, findingIds: string[]): TimelineEvent {
  return {
    eventID: r.event_id,
    eventTime: r.event_time,
    eventSource: r.event_source,
    service: r.service,
    eventName: r.event_name,
    awsRegion: r.aws_region,
    principalArn: r.principal,
    principalLabel: r.principal_label,
    principalType: r.principal_type,
    agentIdentity: r.agent,
    readOnly: r.read_only === null ? null : r.read_only === 1,
    errorCode: r.error_code,
    highRisk: r.rules !== null,
    attack: r.attack ? (JSON.parse(r.attack) as string[]) : [],
    burst: r.burst === 1,
    sourceIPAddress: r.source_ip,
    userAgent: r.user_agent,
    findingIds,
    cloud: r.cloud,
    simultaneous: r.simultaneous === 1,
  };
}
