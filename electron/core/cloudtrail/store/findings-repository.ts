import type { BlastRadius, CloudTrailFinding, EventSupport, FindingKind, MonitoringCheck } from '../../../shared/cloudtrail';
import type { Db } from '../../store/database';
import type { FindingDraft } from '../analyse/findings';

interface FindingRow {
  id: string;
  incident_id: string;
  key: string;
  kind: FindingKind;
  status: 'open' | 'superseded';
  severity: CloudTrailFinding['severity'];
  title: string;
  phase: string;
  principal: string | null;
  agent_identity: string | null;
  attack: string;
  first_at: string | null;
  last_at: string | null;
  detail: string;
  created_at: string;
}

/** What the summary shows of the latest analysis (the per-event lists live in the events and findings tables). */
export interface StoredAnalysis {
  agents: BlastRadius[];
  unmatchedAgents?: string[];
  automation: string[];
  principals: number;
}

export interface FindingsUpdate {
  added: Array<{ id: string; kind: FindingKind; title: string }>;
  updated: number;
  superseded: string[];
}

/** Findings of an incident, the events that support them, and the monitoring checks. */
export class FindingsRepository {
  constructor(private readonly db: Db) {}

  /** Records the analysis: new findings are added, known ones refreshed, ones the analysis no longer makes superseded. */
  apply(incidentId: string, phase: string, drafts: FindingDraft[], at: string): FindingsUpdate {
    const existing = new Map(
      (this.db.prepare('SELECT id, key, status FROM cloudtrail_findings WHERE incident_id = ?').all(incidentId) as Array<{ id: string; key: string; status: string }>).map((r) => [r.key, r]),
    );
    let num = (this.db.prepare('SELECT max(num) AS n FROM cloudtrail_findings').get() as { n: number | null }).n ?? 0;
    const insert = this.db.prepare(
      `INSERT INTO cloudtrail_findings (num, id, incident_id, key, kind, status, severity, title, phase, principal, agent_identity, attack, first_at, last_at, detail, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = this.db.prepare(
      `UPDATE cloudtrail_findings SET status = 'open', severity = ?, title = ?, principal = ?, agent_identity = ?, attack = ?, first_at = ?, last_at = ?, detail = ?, updated_at = ? WHERE id = ?`,
    );
    const link = this.db.prepare(
      `INSERT OR IGNORE INTO cloudtrail_finding_events (finding_id, incident_id, event_id, origin, marked_by, marked_at, note) VALUES (?, ?, ?, 'analysis', NULL, ?, NULL)`,
    );
    const result: FindingsUpdate = { added: [], updated: 0, superseded: [] };
    const seen = new Set<string>();
    for (const d of drafts) {
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      const prev = existing.get(d.key);
      let id: string;
      const values = [d.severity, d.title, d.principalArn, d.agentIdentity, JSON.stringify(d.attack), d.firstAt, d.lastAt, JSON.stringify(d.detail)] as const;
      if (prev) {
        id = prev.id;
        update.run(...values, at, id);
        result.updated++;
      } else {
        num++;
        id = `CTF-${String(num).padStart(6, '0')}`;
        insert.run(num, id, incidentId, d.key, d.kind, d.severity, d.title, phase, d.principalArn, d.agentIdentity, JSON.stringify(d.attack), d.firstAt, d.lastAt, JSON.stringify(d.detail), at, at);
        result.added.push({ id, kind: d.kind, title: d.title });
      }
      for (const e of d.eventIds) link.run(id, incidentId, e, at);
    }
    const supersede = this.db.prepare(`UPDATE cloudtrail_findings SET status = 'superseded', updated_at = ? WHERE id = ?`);
    for (const [key, r] of existing) {
      if (!seen.has(key) && r.status === 'open') {
        supersede.run(at, r.id);
        result.superseded.push(r.id);
      }
    }
    return result;
  }

  list(incidentId: string, ids?: readonly string[]): CloudTrailFinding[] {
    const rows = this.db.prepare(`SELECT * FROM cloudtrail_findings WHERE incident_id = ? AND status = 'open' ORDER BY num`).all(incidentId) as FindingRow[];
    const wanted = ids ? new Set(ids) : null;
    const events = this.db.prepare('SELECT event_id FROM cloudtrail_finding_events WHERE finding_id = ? ORDER BY marked_at, event_id');
    return rows
      .filter((r) => !wanted || wanted.has(r.id))
      .map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        kind: r.kind,
        severity: r.severity,
        title: r.title,
        phase: r.phase,
        principalArn: r.principal,
        agentIdentity: r.agent_identity,
        attack: JSON.parse(r.attack) as string[],
        firstAt: r.first_at,
        lastAt: r.last_at,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        eventIds: (events.all(r.id) as Array<{ event_id: string }>).map((e) => e.event_id),
        createdAt: r.created_at,
      }));
  }

  find(incidentId: string, id: string): { id: string; status: string } | undefined {
    return this.db.prepare('SELECT id, status FROM cloudtrail_findings WHERE incident_id = ? AND id = ?').get(incidentId, id) as { id: string; status: string } | undefined;
  }

  /** A responder marks (or unmarks) an event as supporting a finding; returns whether anything changed. */
  mark(incidentId: string, findingId: string, eventId: string, by: string, at: string, note: string | null, remove: boolean): boolean {
    if (remove) {
      return this.db.prepare(`DELETE FROM cloudtrail_finding_events WHERE finding_id = ? AND event_id = ? AND origin = 'responder'`).run(findingId, eventId).changes > 0;
    }
    return (
      this.db
        .prepare(`INSERT OR IGNORE INTO cloudtrail_finding_events (finding_id, incident_id, event_id, origin, marked_by, marked_at, note) VALUES (?, ?, ?, 'responder', ?, ?, ?)`)
        .run(findingId, incidentId, eventId, by, at, note).changes > 0
    );
  }

  support(incidentId: string, eventId: string): EventSupport[] {
    return (
      this.db.prepare('SELECT finding_id, marked_by, marked_at, note FROM cloudtrail_finding_events WHERE incident_id = ? AND event_id = ? ORDER BY finding_id').all(incidentId, eventId) as Array<{
        finding_id: string;
        marked_by: string | null;
        marked_at: string;
        note: string | null;
      }>
    ).map((r) => ({ findingId: r.finding_id, markedBy: r.marked_by ?? 'analysis', markedAt: r.marked_at, note: r.note }));
  }

  saveAnalysis(incidentId: string, at: string, summary: StoredAnalysis): void {
    this.db
      .prepare('INSERT INTO cloudtrail_analysis (incident_id, at, summary) VALUES (?, ?, ?) ON CONFLICT(incident_id) DO UPDATE SET at = excluded.at, summary = excluded.summary')
      .run(incidentId, at, JSON.stringify(summary));
  }

  lastAnalysis(incidentId: string): StoredAnalysis | null {
    const r = this.db.prepare('SELECT summary FROM cloudtrail_analysis WHERE incident_id = ?').get(incidentId) as { summary: string } | undefined;
    return r ? (JSON.parse(r.summary) as StoredAnalysis) : null;
  }

  addCheck(c: MonitoringCheck): void {
    this.db
      .prepare(`INSERT INTO cloudtrail_monitoring_checks (incident_id, at, outcome, window_start, window_end, events, reopen_phase, message, collection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(c.incidentId, c.at, c.outcome, c.windowStart, c.windowEnd, JSON.stringify(c.events), c.reopenPhase, c.message, c.collectionId);
  }

  checks(incidentId: string): MonitoringCheck[] {
    return (
      this.db.prepare('SELECT * FROM cloudtrail_monitoring_checks WHERE incident_id = ? ORDER BY num').all(incidentId) as Array<{
        incident_id: string;
        at: string;
        outcome: MonitoringCheck['outcome'];
        window_start: string;
        window_end: string;
        events: string;
        reopen_phase: string | null;
        message: string;
        collection_id: string | null;
      }>
    ).map((r) => ({
      incidentId: r.incident_id,
      at: r.at,
      outcome: r.outcome,
      windowStart: r.window_start,
      windowEnd: r.window_end,
      events: JSON.parse(r.events) as MonitoringCheck['events'],
      reopenPhase: r.reopen_phase,
      message: r.message,
      collectionId: r.collection_id,
    }));
  }
}
