import type { Db } from '../store/database';

/** A destructive call by an agent identity that succeeded, as the events store holds it. */
export interface DestructiveCall {
  eventId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  principal: string;
  resources: string[];
}

/**
 * Reads the successful destructive calls by agent identities, oldest first, for the report's timeline. The events
 * table belongs to CloudTrail collection; the report only reads it, at most `limit` rows plus how many there are.
 */
export class DestructiveCallsRepository {
  constructor(private readonly db: Db) {}

  list(incidentId: string, limit: number): { calls: DestructiveCall[]; total: number } {
    const where = 'incident_id = ? AND agent IS NOT NULL AND destructive = 1 AND error_code IS NULL';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM cloudtrail_events WHERE ${where}`).get(incidentId) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT event_id, event_time, event_source, event_name, principal, resources FROM cloudtrail_events WHERE ${where} ORDER BY time_sec, event_id LIMIT ?`)
      .all(incidentId, limit) as Array<{ event_id: string; event_time: string; event_source: string; event_name: string; principal: string; resources: string }>;
    return {
      total,
      calls: rows.map((r) => ({
        eventId: r.event_id,
        eventTime: r.event_time,
        eventSource: r.event_source,
        eventName: r.event_name,
        principal: r.principal,
        resources: JSON.parse(r.resources) as string[],
      })),
    };
  }
}
