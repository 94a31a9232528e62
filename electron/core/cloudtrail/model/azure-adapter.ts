import { isoTimeMs, isoTimeMsBytes } from '../import/normalize';
import { type CloudActor, type CloudEvent, type KeyParts, activityOfVerb, obj, sv } from './cloud-event';
import type { JsonMembers, Shape } from './json-members';

/** A record's phase: Start (BeginRequest, Started, Accepted) or the outcome (Success, Failure, EndRequest). */
const STARTED = /^(start|started|beginrequest|accept|accepted)\.?$/i;
const FAILED = /^(fail|failed|failure)\.?$/i;
const SUCCEEDED = /^(success|succeeded)\.?$/i;

const SUBSCRIPTION = /\/subscriptions\/([^/]+)/i;
const CLAIM_OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const CLAIM_UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const CLAIM_NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
/** Microsoft's own first-party applications (Azure Resource Manager, Azure Monitor, Policy...): the platform at work. */
const FIRST_PARTY_CALLERS = /^(Microsoft\.|Azure |Windows Azure )/;

/**
 * The members isAzureRecord, azureEvent and actorOf read, for the JSON-lines reader that reads only those (a unit test
 * checks that every member they touch is named here). 'repeating' marks the values that recur from record to record.
 */
export const AZURE_MEMBERS: Shape = {
  time: 'value',
  eventTimestamp: 'value',
  event_timestamp: 'value',
  operationName: 'repeating',
  operation_name: 'repeating',
  resultType: 'repeating',
  result_type: 'repeating',
  status: 'repeating',
  resultSignature: 'repeating',
  result_signature: 'repeating',
  subStatus: 'repeating',
  sub_status: 'repeating',
  eventName: 'repeating',
  event_name: 'repeating',
  properties: { eventProperties: 'value', statusCode: 'repeating', statusMessage: 'value' },
  resourceId: 'repeating',
  resource_id: 'repeating',
  correlationId: 'value',
  correlation_id: 'value',
  eventDataId: 'value',
  event_data_id: 'value',
  operationId: 'value',
  operation_id: 'value',
  id: 'value',
  subscriptionId: 'repeating',
  subscription_id: 'repeating',
  location: 'repeating',
  resourceProviderName: 'repeating',
  resource_provider_name: 'repeating',
  resultDescription: 'value',
  result_description: 'value',
  identity: { claims: 'repeating', authorization: { evidence: 'repeating', scope: 'repeating' } },
  claims: 'repeating',
  authorization: { evidence: 'repeating' },
  caller: 'repeating',
  callerIpAddress: 'repeating',
  caller_ip_address: 'repeating',
  httpRequest: 'repeating',
  http_request: 'repeating',
  category: 'repeating',
};

/** Whether a record looks like an Azure Activity Log record, in any of the shapes the exports use. */
export const isAzureRecord = (r: Record<string, unknown>): boolean =>
  ('operationName' in r || 'operation_name' in r) && ('time' in r || 'eventTimestamp' in r || 'event_timestamp' in r || 'resourceId' in r || 'resource_id' in r);

/** What the caller is told by: the claims, the role assignment evidence, the REST `caller`, the IP and the category. */
interface ActorInputs {
  claims: Record<string, unknown> | null;
  evidence: Record<string, unknown> | null;
  caller: string | null;
  ip: string | null;
  category: string | null;
}

function actorInputs(r: Record<string, unknown>): ActorInputs {
  const identity = obj(r.identity);
  const http = obj(r.httpRequest) ?? obj(r.http_request);
  return {
    claims: obj(identity?.claims) ?? obj(r.claims),
    evidence: obj((obj(identity?.authorization) ?? obj(r.authorization))?.evidence),
    caller: sv(r.caller),
    ip: sv(r.callerIpAddress) ?? sv(r.caller_ip_address) ?? sv(http?.clientIpAddress) ?? sv(http?.client_ip_address),
    category: sv(r.category),
  };
}

/** The caller, from the claims and the role assignment evidence (storage/Event Hub) or the REST `caller` and `claims`. */
function actorOf({ claims, evidence, caller, ip, category }: ActorInputs): CloudActor {
  const principalType = sv(evidence?.principalType) ?? sv(evidence?.principal_type);
  const appid = sv(claims?.appid) ?? sv(claims?.azp);
  const idtyp = sv(claims?.idtyp);
  const upn = sv(claims?.[CLAIM_UPN]) ?? sv(claims?.upn) ?? sv(claims?.unique_name);
  const name = sv(claims?.name) ?? sv(claims?.[CLAIM_NAME]);
  const oid = sv(claims?.[CLAIM_OID]) ?? sv(claims?.oid) ?? sv(evidence?.principalId) ?? sv(evidence?.principal_id);
  const base = { session: sv(claims?.uti), userAgent: null, sourceIp: ip, delegation: [] as string[] };
  if (obj(claims?.xms_mirid) || sv(claims?.xms_mirid) || /managedidentity/i.test(principalType ?? '')) {
    const id = oid ?? appid ?? caller ?? 'unknown';
    return { ...base, kind: 'managed-identity', id, displayName: sv(claims?.xms_mirid)?.split('/').pop() ?? name ?? id };
  }
  if (idtyp === 'app' || /serviceprincipal|application/i.test(principalType ?? '') || (!upn && appid && !name)) {
    const id = appid ?? oid ?? caller ?? 'unknown';
    return { ...base, kind: 'service-principal', id, displayName: name ?? id };
  }
  if (upn || (caller && caller.includes('@'))) {
    const id = upn ?? (caller as string);
    return { ...base, kind: 'user', id, displayName: name ?? id };
  }
  if (caller && FIRST_PARTY_CALLERS.test(caller)) return { ...base, kind: 'cloud-service', id: caller, displayName: caller };
  if (caller || oid) {
    const id = (caller ?? oid) as string;
    return { ...base, kind: 'unknown', id, displayName: name ?? id };
  }
  // Alerts, recommendations and health events have no caller: the platform wrote them.
  const platform = category ?? 'Azure';
  return { ...base, kind: 'cloud-service', id: `azure:${platform}`, displayName: `Azure (${platform})` };
}

const recentActors: Array<{ inputs: ActorInputs; actor: CloudActor }> = [];

/**
 * actorOf for the last few distinct callers: records from the JSON-lines reader share their repeating claims and
 * evidence objects, so the same caller is recognised by reference and its actor (never modified downstream) is shared.
 */
function cachedActorOf(x: ActorInputs): CloudActor {
  for (let k = 0; k < recentActors.length; k++) {
    const en = recentActors[k] as { inputs: ActorInputs; actor: CloudActor };
    const y = en.inputs;
    if (y.claims === x.claims && y.evidence === x.evidence && y.caller === x.caller && y.ip === x.ip && y.category === x.category) {
      if (k > 0) {
        recentActors[k] = recentActors[k - 1] as { inputs: ActorInputs; actor: CloudActor };
        recentActors[k - 1] = en;
      }
      return en.actor;
    }
  }
  const actor = actorOf(x);
  recentActors.unshift({ inputs: x, actor });
  if (recentActors.length > 32) recentActors.pop();
  return actor;
}

interface OperationFacts {
  service: string;
  activity: CloudEvent['activity'];
  lower: string;
}

/** Service, activity and lower-case name by operation name: the same few operations recur on every line. */
const operations = new Map<string, OperationFacts>();
function operationOf(operationName: string): OperationFacts {
  let o = operations.get(operationName);
  if (!o) {
    const parts = operationName.split('/');
    const last = (parts[parts.length - 1] ?? '').toLowerCase();
    const verb = last === 'action' ? (parts[parts.length - 2] ?? '') : last;
    o = { service: parts[0] ?? 'unknown', activity: last === 'write' ? 'update' : activityOfVerb(verb), lower: operationName.toLowerCase() };
    if (operations.size >= 4096) operations.clear();
    operations.set(operationName, o);
  }
  return o;
}

interface Outcome {
  result: string;
  phase: string;
  started: boolean;
  status: CloudEvent['status'];
}

const recentOutcomes: Outcome[] = [];

/**
 * Whether a record is its operation's Start, and its status, from its result and phase: the same few pairs recur on
 * every record (and as the same strings, from the JSON-lines reader), so the last few are kept.
 */
function outcomeOf(result: string, phase: string): Outcome {
  for (let k = 0; k < recentOutcomes.length; k++) {
    const o = recentOutcomes[k] as Outcome;
    if (o.result === result && o.phase === phase) return o;
  }
  const o: Outcome = {
    result,
    phase,
    started: STARTED.test(result) || (/^beginrequest$/i.test(phase) && !FAILED.test(result) && !SUCCEEDED.test(result)),
    status: FAILED.test(result) ? 'failure' : SUCCEEDED.test(result) ? 'success' : 'unknown',
  };
  recentOutcomes.unshift(o);
  if (recentOutcomes.length > 8) recentOutcomes.pop();
  return o;
}

let lastResourceId: string | null = null;
let lastSubscription: string | null = null;

/** The subscription a resource id names (lower case), or null; consecutive records often name the same resource. */
function subscriptionOf(resourceId: string | null): string | null {
  if (!resourceId) return null;
  if (resourceId !== lastResourceId) {
    lastResourceId = resourceId;
    lastSubscription = SUBSCRIPTION.exec(resourceId)?.[1]?.toLowerCase() ?? null;
  }
  return lastSubscription;
}

export interface AzureRecord {
  event: CloudEvent;
  /** event.eventId and event.operationKey as the parts they join. */
  idParts: KeyParts;
  operationParts: KeyParts | null;
  /** Start records are folded into their outcome; only when no outcome came does the Start stand for the operation. */
  started: boolean;
}

/**
 * One Azure Activity Log record as a CloudEvent, or a reason it cannot be one (no valid time). Storage export and
 * Event Hub records (`time`, `operationName` as a string, `identity`), REST / `az monitor activity-log list` records
 * (`eventTimestamp`, `operationName.value`, `status.value`, `caller`, `claims`) and SDK-serialised ones (snake_case).
 */
export function azureEvent(r: Record<string, unknown>, file: string, position: number): AzureRecord | { refused: string } {
  const time = sv(r.time) ?? sv(r.eventTimestamp) ?? sv(r.event_timestamp);
  const timeMs = isoTimeMs(time);
  if (timeMs === null || !time) return { refused: time ? `time "${time.slice(0, 40)}" is not a date-time` : 'no time' };
  const operationName = sv(r.operationName) ?? sv(r.operation_name) ?? 'unknown';
  const { service, activity, lower } = operationOf(operationName);
  const result = sv(r.resultType) ?? sv(r.result_type) ?? sv(r.status) ?? '';
  const signature = sv(r.resultSignature) ?? sv(r.result_signature) ?? sv(r.subStatus) ?? sv(r.sub_status);
  const { started, status } = outcomeOf(result, sv(r.eventName) ?? sv(r.event_name) ?? '');
  const properties = obj(r.properties);
  const resourceId = sv(r.resourceId) ?? sv(r.resource_id) ?? sv(obj(obj(r.identity)?.authorization)?.scope);
  const correlationId = sv(r.correlationId) ?? sv(r.correlation_id);
  const givenId =
    sv(r.eventDataId) ??
    sv(r.event_data_id) ??
    sv(obj(properties?.eventProperties)?.eventDataId) ??
    sv(r.operationId) ??
    sv(r.operation_id) ??
    (/\/events\/([^/]+)\/ticks\//.exec(sv(r.id) ?? '')?.[1] ?? null);
  // A record without an id of its own is told by its operation, its result and its time.
  const idParts = givenId !== null ? [givenId] : [correlationId ?? 'no-correlation', '/', result || 'record', '/', time];
  const eventId = givenId ?? `${idParts[0]}/${idParts[2]}/${time}`;
  return {
    started,
    idParts,
    operationParts: correlationId ? [correlationId, '|', lower] : null,
    event: {
      cloud: 'azure',
      eventId,
      time,
      timeMs,
      subSecond: true,
      account: sv(r.subscriptionId) ?? sv(r.subscription_id) ?? subscriptionOf(resourceId),
      region: sv(r.location),
      service: sv(r.resourceProviderName) ?? sv(r.resource_provider_name) ?? service,
      operation: operationName,
      activity,
      actor: cachedActorOf(actorInputs(r)),
      resources: resourceId ? [resourceId] : [],
      status,
      errorCode: status === 'failure' ? (signature ?? sv(properties?.statusCode) ?? 'Failed') : null,
      errorMessage: status === 'failure' ? (sv(r.resultDescription) ?? sv(r.result_description) ?? sv(properties?.statusMessage)) : null,
      operationKey: correlationId ? `${correlationId}|${lower}` : null,
      raw: { file, position },
    },
  };
}

/** The slots of the members azureLineFacts reads, in a JsonMembers reader whose shape includes AZURE_MEMBERS. */
export interface AzureSlots {
  [member: string]: number;
}

const AZURE_SLOT_PATHS: Record<string, string[]> = {
  time: ['time'],
  eventTimestamp: ['eventTimestamp'],
  event_timestamp: ['event_timestamp'],
  operationName: ['operationName'],
  operation_name: ['operation_name'],
  resultType: ['resultType'],
  result_type: ['result_type'],
  status: ['status'],
  resultSignature: ['resultSignature'],
  result_signature: ['result_signature'],
  subStatus: ['subStatus'],
  sub_status: ['sub_status'],
  eventName: ['eventName'],
  event_name: ['event_name'],
  properties: ['properties'],
  eventProperties: ['properties', 'eventProperties'],
  statusCode: ['properties', 'statusCode'],
  statusMessage: ['properties', 'statusMessage'],
  correlationId: ['correlationId'],
  correlation_id: ['correlation_id'],
  eventDataId: ['eventDataId'],
  event_data_id: ['event_data_id'],
  operationId: ['operationId'],
  operation_id: ['operation_id'],
  id: ['id'],
  resourceId: ['resourceId'],
  resource_id: ['resource_id'],
  identity: ['identity'],
  identityClaims: ['identity', 'claims'],
  identityAuthorization: ['identity', 'authorization'],
  identityEvidence: ['identity', 'authorization', 'evidence'],
  claims: ['claims'],
  authorization: ['authorization'],
  evidence: ['authorization', 'evidence'],
  caller: ['caller'],
  callerIpAddress: ['callerIpAddress'],
  caller_ip_address: ['caller_ip_address'],
  httpRequest: ['httpRequest'],
  http_request: ['http_request'],
  category: ['category'],
  resultDescription: ['resultDescription'],
  result_description: ['result_description'],
};

export function azureSlotsOf(line: JsonMembers): AzureSlots {
  const slots: AzureSlots = {};
  for (const [name, path] of Object.entries(AZURE_SLOT_PATHS)) {
    const slot = line.slotOf(...path);
    if (slot < 0) throw new Error(`the line reader's shape lacks the Azure member ${path.join('.')}`);
    slots[name] = slot;
  }
  return slots;
}

/** isAzureRecord of the line last read member by member. */
export const isAzureLine = (line: JsonMembers, s: AzureSlots): boolean =>
  (line.has(s.operationName as number) || line.has(s.operation_name as number)) &&
  (line.has(s.time as number) || line.has(s.eventTimestamp as number) || line.has(s.event_timestamp as number) || line.has(s.resourceId as number) || line.has(s.resource_id as number));

/**
 * What a row needs of an Azure Activity Log record, read from its line's members without making the record or its
 * CloudEvent: each figure is the one azureEvent gives for the same line (a unit test compares the rows line by line).
 * The time, eventDataId and correlationId are left in the line's bytes where they are non-empty strings without
 * escapes (start and end in line.lineBytes; start -1 otherwise, the string or null then given). One object, filled
 * anew for each line.
 */
export interface AzureLineFacts {
  /** The record has no valid time (azureEvent says why; a row needs only that it is). */
  refused: boolean;
  time: string;
  timeStart: number;
  timeEnd: number;
  timeMs: number;
  operation: string;
  activity: CloudEvent['activity'];
  /** The operation name in lower case, for the operation key. */
  lower: string;
  started: boolean;
  status: CloudEvent['status'];
  actor: CloudActor;
  errorCode: string | null;
  errorMessage: string | null;
  /** The record's own id, or null (its dedup key is then correlation / result / time). */
  givenId: string | null;
  givenStart: number;
  givenEnd: number;
  correlationId: string | null;
  correlationStart: number;
  correlationEnd: number;
  result: string;
}

export const emptyAzureLineFacts = (): AzureLineFacts => ({
  refused: false,
  time: '',
  timeStart: -1,
  timeEnd: -1,
  timeMs: 0,
  operation: '',
  activity: 'other',
  lower: '',
  started: false,
  status: 'unknown',
  actor: { kind: 'unknown', id: 'unknown', displayName: 'unknown', session: null, userAgent: null, sourceIp: null, delegation: [] },
  errorCode: null,
  errorMessage: null,
  givenId: null,
  givenStart: -1,
  givenEnd: -1,
  correlationId: null,
  correlationStart: -1,
  correlationEnd: -1,
  result: '',
});

const EVENT_TICKS = /\/events\/([^/]+)\/ticks\//;

export function azureLineFacts(line: JsonMembers, s: AzureSlots, out: AzureLineFacts): AzureLineFacts {
  const v = (slot: number | undefined): unknown => line.value(slot as number);
  const bytes = line.lineBytes;
  // The common form read from the bytes (all ASCII then); any other, and other members, as azureEvent reads them.
  const ts = line.rawText(s.time as number);
  const fast = ts >= 0 ? isoTimeMsBytes(bytes, ts, line.rawEnd(s.time as number)) : undefined;
  if (fast !== undefined) {
    out.refused = fast === null;
    if (fast === null) return out;
    out.time = '';
    out.timeStart = ts;
    out.timeEnd = line.rawEnd(s.time as number);
    out.timeMs = fast;
  } else {
    const time = sv(v(s.time)) ?? sv(v(s.eventTimestamp)) ?? sv(v(s.event_timestamp));
    const timeMs = isoTimeMs(time);
    out.refused = timeMs === null || !time;
    if (timeMs === null || !time) return out;
    out.time = time;
    out.timeStart = -1;
    out.timeMs = timeMs;
  }
  const operationName = sv(v(s.operationName)) ?? sv(v(s.operation_name)) ?? 'unknown';
  const { activity, lower } = operationOf(operationName);
  out.operation = operationName;
  out.activity = activity;
  out.lower = lower;
  const result = sv(v(s.resultType)) ?? sv(v(s.result_type)) ?? sv(v(s.status)) ?? '';
  out.result = result;
  const { started, status } = outcomeOf(result, sv(v(s.eventName)) ?? sv(v(s.event_name)) ?? '');
  out.started = started;
  out.status = status;
  // properties, identity and its authorization are read member by member when they are objects (obj() of anything else is null).
  const properties = line.opened(s.properties as number);
  const cs = line.rawText(s.correlationId as number);
  out.correlationStart = cs;
  out.correlationEnd = line.rawEnd(s.correlationId as number);
  out.correlationId = cs >= 0 ? null : (sv(v(s.correlationId)) ?? sv(v(s.correlation_id)));
  const gs = line.rawText(s.eventDataId as number);
  out.givenStart = gs;
  out.givenEnd = line.rawEnd(s.eventDataId as number);
  out.givenId =
    gs >= 0
      ? null
      : (sv(v(s.eventDataId)) ??
        sv(v(s.event_data_id)) ??
        (properties ? sv(obj(v(s.eventProperties))?.eventDataId) : null) ??
        sv(v(s.operationId)) ??
        sv(v(s.operation_id)) ??
        (EVENT_TICKS.exec(sv(v(s.id)) ?? '')?.[1] ?? null));
  const identity = line.opened(s.identity as number);
  const http = obj(v(s.httpRequest)) ?? obj(v(s.http_request));
  const authorization = identity && line.opened(s.identityAuthorization as number) ? s.identityEvidence : line.opened(s.authorization as number) ? s.evidence : undefined;
  out.actor = cachedActorOf({
    claims: (identity ? obj(v(s.identityClaims)) : null) ?? obj(v(s.claims)),
    evidence: authorization === undefined ? null : obj(v(authorization)),
    caller: sv(v(s.caller)),
    ip: sv(v(s.callerIpAddress)) ?? sv(v(s.caller_ip_address)) ?? sv(http?.clientIpAddress) ?? sv(http?.client_ip_address),
    category: sv(v(s.category)),
  });
  const failed = status === 'failure';
  const signature = failed ? (sv(v(s.resultSignature)) ?? sv(v(s.result_signature)) ?? sv(v(s.subStatus)) ?? sv(v(s.sub_status))) : null;
  out.errorCode = failed ? (signature ?? (properties ? sv(v(s.statusCode)) : null) ?? 'Failed') : null;
  out.errorMessage = failed ? (sv(v(s.resultDescription)) ?? sv(v(s.result_description)) ?? (properties ? sv(v(s.statusMessage)) : null)) : null;
  return out;
}
