import type { CloudEvent } from '../cloudtrail/model/cloud-event';
import type { Db } from '../store/database';
import { ChainEventsRepository } from './chain-events-repository';
import { AFTER_MS, BEFORE_MS } from './correlate';
import type { DbChange } from './db-correlate';

/** Events read per correlation window and for the unexplained list: an incident's chain never needs more than this. */
const WINDOW_LIMIT = 200_000;
const UNEXPLAINED_LIMIT = 5_000;

/** Incident parameters that name the agent's database login (the playbooks' agent_db_role, agent_db_login). */
const DB_LOGIN_PARAM = /^agent_db_(role|login|user)s?$/;

export function dbLoginsOf(params: Record<string, string>, identities: readonly string[]): string[] {
  const fromParams = Object.entries(params)
    .filter(([k, v]) => DB_LOGIN_PARAM.test(k) && v.trim())
    .flatMap(([, v]) => v.split(/[\s,]+/).filter(Boolean));
  return [...new Set([...fromParams, ...identities])];
}

/** Each tool call's correlation window, overlapping ones merged, so each stretch of the record is read once. */
export function windowsOf(calls: readonly { startMs: number; endMs: number | null }[]): Array<[number, number]> {
  const spans = calls.map((c): [number, number] => [c.startMs - BEFORE_MS, (c.endMs ?? c.startMs) + AFTER_MS]).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

export interface IncidentRecordSlice {
  /** Everything inside the calls' windows, and every destructive event or statement that could be unexplained. */
  events: CloudEvent[];
  db: DbChange[];
}

/**
 * The incident's record a chain is correlated against: its cloud events of all clouds and its database statements in
 * the tool calls' windows, plus the destructive ones in the chain's span or made by the agent (its identities, its
 * database logins) at any time, which are listed when no call explains them.
 */
export function incidentRecordSlice(db: Db, incidentId: string, windows: readonly [number, number][], span: [number, number] | null, logins: readonly string[]): IncidentRecordSlice {
  const repo = new ChainEventsRepository(db);
  const events = new Map<string, CloudEvent>();
  const changes = new Map<string, DbChange>();
  const addEvent = (e: CloudEvent) => events.set(`${e.cloud}|${e.eventId}`, e);
  const addChange = (s: DbChange) => changes.set(s.id, s);
  for (const [from, to] of windows) {
    for (const e of repo.cloudEvents(incidentId, from, to, WINDOW_LIMIT, false)) addEvent(e);
    for (const s of repo.statements(incidentId, from, to, WINDOW_LIMIT, false)) addChange(s);
  }
  if (span) {
    for (const e of repo.cloudEvents(incidentId, span[0], span[1], UNEXPLAINED_LIMIT, true)) addEvent(e);
    for (const s of repo.statements(incidentId, span[0], span[1], UNEXPLAINED_LIMIT, true)) addChange(s);
  }
  for (const e of repo.agentDestructiveEvents(incidentId, UNEXPLAINED_LIMIT)) addEvent(e);
  for (const s of repo.destructiveStatementsBy(incidentId, logins, UNEXPLAINED_LIMIT)) addChange(s);
  return { events: [...events.values()].sort((a, b) => a.timeMs - b.timeMs), db: [...changes.values()].sort((a, b) => a.timeMs - b.timeMs) };
}
