import type { Db } from '../../store/database';
import type { AgentMatcher } from '../import/agents';
import type { Identity } from '../import/normalize';

/**
 * The writes of an incident's analysis, a batch of rows at a time (see analyseIncident): what is to be written is put in
 * this connection's temporary tables once, then each batch is one set-based UPDATE over a span of rowids, short enough
 * that another process waiting for the write lock gets it between two batches.
 */
export class AnalysisBatchesRepository {
  constructor(private readonly db: Db) {}

  /** The incident's rows as a span of rowids (null when it has none): what an analysis walks a batch at a time. */
  rowidSpan(incidentId: string): { first: number; last: number } | null {
    const r = this.db.prepare('SELECT min(rowid) AS first, max(rowid) AS last FROM cloudtrail_events WHERE incident_id = ?').get(incidentId) as {
      first: number | null;
      last: number | null;
    };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /**
   * Fills this connection's temporary table of agent matches: the matcher runs once per distinct caller, so that each
   * batch of reattributeBatch is one set-based UPDATE (one UPDATE per identity took 21 minutes for 40,000 identities).
   * Temporary tables belong to the connection, not the database file: filling it takes no write lock.
   */
  prepareAgentMatches(incidentId: string, matcher: AgentMatcher): void {
    const identities = this.db.prepare('SELECT DISTINCT identity FROM cloudtrail_events WHERE incident_id = ?').pluck().all(incidentId) as string[];
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS agent_matches (identity TEXT PRIMARY KEY, agent TEXT NOT NULL) WITHOUT ROWID');
    this.db.exec('DELETE FROM temp.agent_matches');
    const add = this.db.prepare('INSERT INTO temp.agent_matches (identity, agent) VALUES (?, ?)');
    for (const identity of identities) {
      const agent = matcher.match(JSON.parse(identity) as Identity)?.identity;
      if (agent) add.run(identity, agent);
    }
  }

  /**
   * Re-attributes the incident's rows with rowids in [from, to] from the prepared matches; returns how many changed.
   * The unary + keeps SQLite off the incident's indexes: without statistics it would walk every call of the incident
   * to find one batch's rowids (each batch the whole incident again), not the batch's rowid range.
   */
  reattributeBatch(incidentId: string, from: number, to: number): number {
    const match = '(SELECT m.agent FROM temp.agent_matches m WHERE m.identity = cloudtrail_events.identity)';
    return this.db
      .prepare(`UPDATE cloudtrail_events SET agent = ${match} WHERE +incident_id = ? AND rowid BETWEEN ? AND ? AND agent IS NOT ${match}`)
      .run(incidentId, from, to).changes;
  }

  /** Fills this connection's temporary table of machine-speed bursts (principal, first and last second). */
  prepareBurstRanges(ranges: Map<string, Array<[number, number]>>): void {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS burst_ranges (principal TEXT NOT NULL, first_sec INTEGER NOT NULL, last_sec INTEGER NOT NULL)');
    this.db.exec('CREATE INDEX IF NOT EXISTS temp.burst_ranges_principal ON burst_ranges (principal, first_sec)');
    this.db.exec('DELETE FROM temp.burst_ranges');
    const add = this.db.prepare('INSERT INTO temp.burst_ranges (principal, first_sec, last_sec) VALUES (?, ?, ?)');
    for (const [principal, list] of ranges) for (const [first, last] of list) add.run(principal, first, last);
  }

  /** Marks the calls with rowids in [from, to] that lie inside a prepared burst, and clears the others (+: as above). */
  markBurstsBatch(incidentId: string, from: number, to: number): number {
    const inside = `EXISTS (SELECT 1 FROM temp.burst_ranges r WHERE r.principal = cloudtrail_events.principal AND r.first_sec <= cloudtrail_events.time_sec AND r.last_sec >= cloudtrail_events.time_sec)`;
    return this.db.prepare(`UPDATE cloudtrail_events SET burst = ${inside} WHERE +incident_id = ? AND rowid BETWEEN ? AND ? AND burst IS NOT ${inside}`).run(incidentId, from, to)
      .changes;
  }

  /** How many of the incident's calls are marked as inside a machine-speed burst. */
  burstCount(incidentId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM cloudtrail_events WHERE incident_id = ? AND burst = 1').get(incidentId) as { n: number }).n;
  }

  /** Empties this connection's temporary analysis tables. */
  clearAnalysisScratch(): void {
    this.db.exec('DELETE FROM temp.agent_matches');
    this.db.exec('DELETE FROM temp.burst_ranges');
  }

}
