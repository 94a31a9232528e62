import type { Identity } from '../cloudtrail/import/normalize';
import { type Activity, type Cloud, type CloudEvent, activityOfVerb } from '../cloudtrail/model/cloud-event';
import type { Db } from '../store/database';
import type { DbChange } from './db-correlate';

interface EventRow {
  cloud: Cloud;
  event_id: string;
  event_time: string;
  time_ms: number | null;
  time_sec: number;
  sub_second: number;
  service: string;
  event_name: string;
  aws_region: string | null;
  principal: string;
  principal_label: string;
  identity: string;
  user_agent: string | null;
  source_ip: string | null;
  read_only: number | null;
  error_code: string | null;
  error_message: string | null;
  resources: string;
}

interface StatementRow {
  evidence_id: string;
  line: number;
  at: string;
  login: string | null;
  database: string | null;
  operation: string;
  destructive: number;
  table_name: string;
  rows: number | null;
  statement: string;
}

const EVENT_COLUMNS = `cloud, event_id, event_time, time_ms, time_sec, sub_second, service, event_name, aws_region, principal, principal_label,
  identity, user_agent, source_ip, read_only, error_code, error_message, resources`;
const STATEMENT_COLUMNS = 'evidence_id, line, at, login, database, operation, destructive, table_name, rows, statement';

/** The OCSF activity of a stored call, by the same verb rules its cloud's adapter applied when it was read. */
function activityOf(r: EventRow): Activity {
  if (r.cloud === 'aws') return activityOfVerb(r.event_name, r.read_only === 1 ? true : null);
  if (r.cloud === 'azure') {
    const parts = r.event_name.split('/');
    const last = (parts.at(-1) ?? '').toLowerCase();
    return last === 'write' ? 'update' : activityOfVerb(last === 'action' ? (parts.at(-2) ?? '') : last);
  }
  const verb = r.event_name.split('.').pop() ?? r.event_name;
  return activityOfVerb(verb === 'insert' ? 'create' : verb, /^(get|list)/i.test(verb) ? true : null);
}

/** A stored call of any cloud back in the one event model, with what correlation reads: actor, operation, resources. */
function cloudEventOf(r: EventRow): CloudEvent {
  const identity = JSON.parse(r.identity) as Identity;
  return {
    cloud: r.cloud,
    eventId: r.event_id,
    time: r.event_time,
    timeMs: r.time_ms ?? r.time_sec * 1000,
    subSecond: r.sub_second === 1,
    account: identity.accountId,
    region: r.aws_region,
    service: r.service,
    operation: r.event_name,
    activity: activityOf(r),
    actor: {
      kind: 'unknown',
      id: r.principal,
      displayName: r.principal_label,
      session: identity.sessionName,
      userAgent: r.user_agent,
      sourceIp: r.source_ip,
      delegation: [identity.arn, identity.issuerArn, identity.sourceIdentity].filter((v): v is string => !!v),
    },
    resources: JSON.parse(r.resources) as string[],
    status: r.error_code ? 'failure' : 'success',
    errorCode: r.error_code,
    errorMessage: r.error_message,
    operationKey: null,
    raw: { file: 'incident', position: 0 },
  };
}

const statementOf = (r: StatementRow): DbChange => ({
  id: `${r.evidence_id}:${r.line}${r.table_name ? `:${r.table_name}` : ''}`,
  at: r.at,
  timeMs: Date.parse(r.at),
  login: r.login,
  database: r.database,
  operation: r.operation,
  destructive: r.destructive === 1,
  table: r.table_name === '' ? null : r.table_name,
  rows: r.rows,
  statement: r.statement,
});

const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * What the decision chain is correlated against, read from the incident's own record: its cloud events of every cloud
 * (CloudTrail imported or pulled, Azure and GCP from `logs import`) and its database statements (`db log import`).
 */
export class ChainEventsRepository {
  constructor(private readonly db: Db) {}

  /** Cloud events from `fromMs` to `toMs` (only the destructive or high-risk ones if asked), in time order, at most `limit`. */
  cloudEvents(incidentId: string, fromMs: number, toMs: number, limit: number, destructiveOnly: boolean): CloudEvent[] {
    const rows = this.db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM cloudtrail_events WHERE incident_id = ? AND time_ms BETWEEN ? AND ? AND (? = 0 OR destructive = 1) ORDER BY time_ms, rowid LIMIT ?`,
      )
      .all(incidentId, fromMs, toMs, destructiveOnly ? 1 : 0, limit) as EventRow[];
    return rows.map(cloudEventOf);
  }

  /** Destructive calls attributed to an agent identity at any time, for the events no tool call explains. */
  agentDestructiveEvents(incidentId: string, limit: number): CloudEvent[] {
    const rows = this.db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM cloudtrail_events WHERE incident_id = ? AND agent IS NOT NULL AND destructive = 1 ORDER BY time_sec, rowid LIMIT ?`)
      .all(incidentId, limit) as EventRow[];
    return rows.map(cloudEventOf);
  }

  countCloudEvents(incidentId: string, fromMs: number, toMs: number): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM cloudtrail_events WHERE incident_id = ? AND time_ms BETWEEN ? AND ?')
        .get(incidentId, fromMs, toMs) as { n: number }
    ).n;
  }

  /** Database statements from `fromMs` to `toMs` (their `at` is ISO UTC with a Z, so text order is time order). */
  statements(incidentId: string, fromMs: number, toMs: number, limit: number, destructiveOnly: boolean): DbChange[] {
    const rows = this.db
      .prepare(`SELECT ${STATEMENT_COLUMNS} FROM db_log_statements WHERE incident_id = ? AND at BETWEEN ? AND ? AND (? = 0 OR destructive = 1) ORDER BY at, evidence_id, line, table_name LIMIT ?`)
      .all(incidentId, isoOf(fromMs), isoOf(toMs), destructiveOnly ? 1 : 0, limit) as StatementRow[];
    return rows.map(statementOf);
  }

  /** Destructive statements run by one of these logins at any time. */
  destructiveStatementsBy(incidentId: string, logins: readonly string[], limit: number): DbChange[] {
    if (!logins.length) return [];
    const rows = this.db
      .prepare(
        `SELECT ${STATEMENT_COLUMNS} FROM db_log_statements WHERE incident_id = ? AND destructive = 1 AND lower(login) IN (SELECT lower(value) FROM json_each(?))
         ORDER BY at, evidence_id, line, table_name LIMIT ?`,
      )
      .all(incidentId, JSON.stringify(logins), limit) as StatementRow[];
    return rows.map(statementOf);
  }

  countStatements(incidentId: string, fromMs: number, toMs: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM db_log_statements WHERE incident_id = ? AND at BETWEEN ? AND ?').get(incidentId, isoOf(fromMs), isoOf(toMs)) as { n: number }).n;
  }
}
