import type { ChainAxisEvent, IncidentTraces, TraceToolCall } from '../../shared/traces';
import { incidentCloudTrail } from '../cloudtrail/store/incident-context';
import type { CoreContext } from '../context';
import { ChainEventsRepository } from './chain-events-repository';
import { AFTER_MS, BEFORE_MS, type CorrelationStep, correlate, identitiesOf } from './correlate';
import { correlateDb, mergeLinks } from './db-correlate';
import { dbLoginsOf, incidentRecordSlice, windowsOf } from './incident-events';
import { TracesRepository } from './traces-repository';

/** Events and statements drawn on the chain's time axis; past it, only those the chain links or leaves unexplained. */
const AXIS_LIMIT = 500;

const msOf = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * The incident's decision chain as it stands now: the stored runs and tool calls, each call correlated with the cloud
 * events (every cloud) and database statements the incident holds at this moment, so a CloudTrail pull, an Azure or GCP
 * import or a database log imported after the trace is taken into account, and the order of imports does not matter.
 */
export function incidentChain(ctx: CoreContext, incidentId: string): IncidentTraces {
  const info = incidentCloudTrail(ctx, incidentId);
  const stored = new TracesRepository(ctx.db).chain(incidentId);
  const empty = { start: null, end: null, events: [], total: 0, limit: AXIS_LIMIT };
  if (stored.runs.length === 0) return { ...stored, unexplained: [], axis: empty, cloudEvents: 0, dbStatements: 0 };

  const identityOf = new Map(stored.runs.map((r) => [r.traceId, identitiesOf(r.identity, info.identities)]));
  const logins = dbLoginsOf(info.incident.params, info.identities);
  const calls = stored.toolCalls.map((t) => {
    const step: CorrelationStep & { call: TraceToolCall } = { call: t, startMs: Date.parse(t.start), endMs: msOf(t.end), tool: t.name, name: t.name, arguments: t.arguments };
    return { step, destructive: t.destructive, identities: identityOf.get(t.traceId) ?? [] };
  });
  // Loops, not Math.min(...times): a long chain would overflow the call's arguments.
  const span: [number, number] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const widen = (from: number, to: number) => {
    span[0] = Math.min(span[0], from - BEFORE_MS);
    span[1] = Math.max(span[1], to + AFTER_MS);
  };
  for (const r of stored.runs) widen(Date.parse(r.start), msOf(r.end) ?? Date.parse(r.start));
  for (const c of calls) widen(c.step.startMs, c.step.endMs ?? c.step.startMs);

  const slice = incidentRecordSlice(ctx.db, incidentId, windowsOf(calls.map((c) => c.step)), span, logins);
  const cloud = correlate(calls, slice.events);
  const db = correlateDb(calls, slice.db, logins);
  const toolCalls = calls.map(({ step }) => ({ ...step.call, correlated: mergeLinks(cloud.links.get(step) ?? [], db.links.get(step) ?? []) }));
  const unexplained = [...cloud.unexplained, ...db.unexplained].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));

  const repo = new ChainEventsRepository(ctx.db);
  const total = repo.countCloudEvents(incidentId, span[0], span[1]) + repo.countStatements(incidentId, span[0], span[1]);
  const linked = new Set([...toolCalls.flatMap((t) => t.correlated.map((c) => `${c.cloud}|${c.eventID}`)), ...unexplained.map((u) => `${u.cloud}|${u.eventID}`)]);
  // A busy account puts thousands of calls in the span: then the axis keeps what the chain links or leaves unexplained.
  // Unexplained deletions by the agent outside the span are drawn too, the axis stretched to hold them.
  const all = total <= AXIS_LIMIT;
  const inSpan = (ms: number) => ms >= span[0] && ms <= span[1];
  const unexplainedKeys = new Set(unexplained.map((u) => `${u.cloud}|${u.eventID}`));
  const axisEvents = [
    ...(all ? repo.cloudEvents(incidentId, span[0], span[1], AXIS_LIMIT, false) : slice.events.filter((e) => inSpan(e.timeMs))),
    ...slice.events.filter((e) => !inSpan(e.timeMs) && unexplainedKeys.has(`${e.cloud}|${e.eventId}`)),
  ];
  const axisStatements = [
    ...(all ? repo.statements(incidentId, span[0], span[1], AXIS_LIMIT, false) : slice.db.filter((s) => inSpan(s.timeMs))),
    ...slice.db.filter((s) => !inSpan(s.timeMs) && unexplainedKeys.has(`db|${s.id}`)),
  ];
  const onAxis: ChainAxisEvent[] = [
    ...axisEvents.map((e) => ({ source: e.cloud, id: e.eventId, time: e.time, operation: e.operation, principal: e.actor.id, destructive: e.activity === 'delete', resource: e.resources[0] ?? null })),
    ...axisStatements.map((s) => ({ source: 'db' as const, id: s.id, time: s.at, operation: s.operation, principal: s.login ?? '', destructive: s.destructive, resource: s.table })),
  ];
  const shown = (all ? onAxis : onAxis.filter((e) => linked.has(`${e.source}|${e.id}`))).sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).slice(0, AXIS_LIMIT);
  const times = shown.map((e) => Date.parse(e.time));
  const axisStart = Math.min(span[0], ...times);
  const axisEnd = Math.max(span[1], ...times);
  return {
    ...stored,
    toolCalls,
    unexplained,
    axis: { start: new Date(axisStart).toISOString(), end: new Date(axisEnd).toISOString(), events: shown, total, limit: AXIS_LIMIT },
    cloudEvents: slice.events.length,
    dbStatements: slice.db.length,
  };
}
