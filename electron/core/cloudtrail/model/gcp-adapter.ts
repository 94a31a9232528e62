import { isoTimeMs, isoTimeMsBytes } from '../import/normalize';
import { type CloudActor, type CloudEvent, type KeyParts, activityOfVerb, obj, pick, pickObj, sv } from './cloud-event';
import type { JsonMembers, Shape } from './json-members';

/** Google's own service agents: the platform acting for a project, not a workload's identity. */
const SERVICE_AGENT = /^(service-\d+@.*\.iam\.gserviceaccount\.com|\d+@cloudservices\.gserviceaccount\.com|.*@gcp-sa-[a-z-]+\.iam\.gserviceaccount\.com|system:.*)$/;

/**
 * The members isGcpRecord, gcpEvent and actorOf read, for the JSON-lines reader that reads only those (a unit test
 * checks that every member they touch is named here). 'repeating' marks the values that recur from entry to entry.
 */
export const GCP_MEMBERS: Shape = {
  timestamp: 'value',
  logName: 'repeating',
  insertId: 'value',
  protoPayload: {
    methodName: 'repeating',
    serviceName: 'repeating',
    resourceName: 'repeating',
    status: 'repeating',
    authenticationInfo: 'repeating',
    requestMetadata: 'repeating',
    resourceLocation: 'repeating',
  },
  resource: 'repeating',
  operation: { id: 'value', producer: 'repeating', first: 'value', last: 'value' },
};

/** A Cloud Audit Logs entry: an AuditLog payload, or an entry of one of the cloudaudit.googleapis.com logs. */
export const isGcpRecord = (r: Record<string, unknown>): boolean =>
  (obj(r.protoPayload) !== null && 'methodName' in (r.protoPayload as object)) || (typeof r.logName === 'string' && r.logName.includes('cloudaudit.googleapis.com'));

function actorOf(authenticationInfo: unknown, requestMetadata: unknown): CloudActor {
  const auth = obj(authenticationInfo);
  const meta = obj(requestMetadata);
  const email = sv(auth?.principalEmail) ?? sv(auth?.principalSubject) ?? 'unknown';
  const delegation = Array.isArray(auth?.serviceAccountDelegationInfo)
    ? (auth.serviceAccountDelegationInfo as unknown[]).flatMap((d) => {
        const o = obj(d);
        const who = pick(pickObj(o, 'firstPartyPrincipal'), 'principalEmail') ?? pick(o, 'principalSubject') ?? pick(pickObj(o, 'thirdPartyPrincipal'), 'principalEmail');
        return who ? [who] : [];
      })
    : [];
  const kind: CloudActor['kind'] = SERVICE_AGENT.test(email) ? 'cloud-service' : email.endsWith('gserviceaccount.com') ? 'service-account' : email === 'unknown' ? 'unknown' : 'user';
  return {
    kind,
    id: email,
    displayName: email,
    session: sv(auth?.serviceAccountKeyName)?.split('/').pop() ?? null,
    userAgent: sv(meta?.callerSuppliedUserAgent),
    sourceIp: sv(meta?.callerIp),
    delegation,
  };
}

const recentActors: Array<{ auth: unknown; meta: unknown; actor: CloudActor }> = [];

/**
 * The caller of an entry from its protoPayload's authenticationInfo and requestMetadata, for the last few distinct
 * callers: entries from the JSON-lines reader share their repeating authenticationInfo and requestMetadata, so the same
 * caller is recognised by reference and its actor is shared too.
 */
export function gcpActor(auth: unknown, meta: unknown): CloudActor {
  for (let k = 0; k < recentActors.length; k++) {
    const en = recentActors[k] as (typeof recentActors)[number];
    if (en.auth !== auth || en.meta !== meta || auth === undefined || typeof auth !== 'object') continue;
    // One step towards the front: callers that come often are found first.
    if (k > 0) {
      recentActors[k] = recentActors[k - 1] as (typeof recentActors)[number];
      recentActors[k - 1] = en;
    }
    return en.actor;
  }
  const actor = actorOf(auth, meta);
  recentActors.unshift({ auth, meta, actor });
  if (recentActors.length > 8) recentActors.pop();
  return actor;
}

/** The activity of a method: the same few methods recur on every line. */
const activities = new Map<string, CloudEvent['activity']>();
export function activityOfMethod(method: string): CloudEvent['activity'] {
  let a = activities.get(method);
  if (a === undefined) {
    const verb = method.split('.').pop() ?? method;
    a = activityOfVerb(verb === 'insert' ? 'create' : verb, /^(get|list)/i.test(verb) ? true : null);
    if (activities.size >= 4096) activities.clear();
    activities.set(method, a);
  }
  return a;
}

export interface GcpRecord {
  event: CloudEvent;
  /** The dedup key, insertId | timestamp (overlapping sinks write the same entry twice), as the parts it joins. */
  dedupParts: KeyParts;
  /** event.operationKey as the parts it joins. */
  operationParts: KeyParts | null;
  /** A long-running operation's first entry without its last: the last one, when it comes, finishes it. */
  first: boolean;
  last: boolean;
}

/** One Cloud Audit Logs LogEntry as a CloudEvent, or why not (no valid time). */
export function gcpEvent(r: Record<string, unknown>, file: string, position: number): GcpRecord | { refused: string } {
  const time = sv(r.timestamp);
  const timeMs = isoTimeMs(time);
  if (timeMs === null || !time) return { refused: time ? `timestamp "${time.slice(0, 40)}" is not a date-time` : 'no timestamp' };
  const p = obj(r.protoPayload);
  const method = sv(p?.methodName) ?? 'unknown';
  const resource = obj(r.resource);
  const labels = obj(resource?.labels);
  const op = obj(r.operation);
  const status = obj(p?.status);
  const code = typeof status?.code === 'number' ? status.code : null;
  const project = sv(labels?.project_id) ?? (typeof r.logName === 'string' ? (/^projects\/([^/]+)/.exec(r.logName)?.[1] ?? null) : null);
  const locations = obj(p?.resourceLocation)?.currentLocations;
  const givenId = sv(r.insertId);
  const insertId = givenId ?? `${method}/${time}`;
  const resourceName = sv(p?.resourceName);
  const opId = sv(op?.id);
  const producer = opId ? (sv(op?.producer) ?? '') : '';
  return {
    dedupParts: givenId !== null ? [givenId, '|', time] : [method, '/', time, '|', time],
    operationParts: opId ? [producer, '|', opId] : null,
    first: op?.first === true,
    last: op?.last === true,
    event: {
      cloud: 'gcp',
      eventId: insertId,
      time,
      timeMs,
      subSecond: true,
      account: project,
      region: sv(labels?.location) ?? sv(labels?.zone) ?? sv(labels?.region) ?? (Array.isArray(locations) && typeof locations[0] === 'string' ? locations[0] : null),
      service: sv(p?.serviceName) ?? sv(resource?.type) ?? 'unknown',
      operation: method,
      activity: activityOfMethod(method),
      actor: gcpActor(p?.authenticationInfo, p?.requestMetadata),
      resources: resourceName ? [resourceName] : [],
      status: code !== null && code !== 0 ? 'failure' : 'success',
      errorCode: code !== null && code !== 0 ? `code ${code}` : null,
      errorMessage: code !== null && code !== 0 ? sv(status?.message) : null,
      operationKey: opId ? `${producer}|${opId}` : null,
      raw: { file, position },
    },
  };
}

/** The slots of the members gcpLineFacts reads, in a JsonMembers reader whose shape includes GCP_MEMBERS. */
export interface GcpSlots {
  timestamp: number;
  insertId: number;
  protoPayload: number;
  methodName: number;
  status: number;
  authenticationInfo: number;
  requestMetadata: number;
  operation: number;
  operationId: number;
  producer: number;
  first: number;
  last: number;
}

export function gcpSlotsOf(line: JsonMembers): GcpSlots {
  const slots: GcpSlots = {
    timestamp: line.slotOf('timestamp'),
    insertId: line.slotOf('insertId'),
    protoPayload: line.slotOf('protoPayload'),
    methodName: line.slotOf('protoPayload', 'methodName'),
    status: line.slotOf('protoPayload', 'status'),
    authenticationInfo: line.slotOf('protoPayload', 'authenticationInfo'),
    requestMetadata: line.slotOf('protoPayload', 'requestMetadata'),
    operation: line.slotOf('operation'),
    operationId: line.slotOf('operation', 'id'),
    producer: line.slotOf('operation', 'producer'),
    first: line.slotOf('operation', 'first'),
    last: line.slotOf('operation', 'last'),
  };
  const missing = Object.entries(slots).filter(([, slot]) => slot < 0);
  if (missing.length) throw new Error(`the line reader's shape lacks the GCP members ${missing.map(([k]) => k).join(', ')}`);
  return slots;
}

/**
 * What a row needs of a Cloud Audit Logs entry, read from its line's members (JsonMembers.readSlots) without making
 * the record or its CloudEvent: each figure is the one gcpEvent gives for the same line (a unit test compares the rows
 * line by line). The timestamp, insertId and operation.id are left in the line's bytes where they are strings without
 * escapes (start and end in line.lineBytes; start -1 otherwise, the string or null then given). One object, filled
 * anew for each line.
 */
export interface GcpLineFacts {
  /** The entry is refused: it has no valid time (gcpEvent says why; a row needs only that it is). */
  refused: boolean;
  timeMs: number;
  time: string;
  timeStart: number;
  timeEnd: number;
  method: string;
  activity: CloudEvent['activity'];
  actor: CloudActor;
  failed: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  /** insertId (null: none, the dedup key is then method/time). */
  insertId: string | null;
  insertStart: number;
  insertEnd: number;
  /** operation.id (null: none); the producer is '' when absent. */
  operationId: string | null;
  operationStart: number;
  operationEnd: number;
  producer: string;
  first: boolean;
  last: boolean;
}

const NO_ACTOR: CloudActor = { kind: 'unknown', id: 'unknown', displayName: 'unknown', session: null, userAgent: null, sourceIp: null, delegation: [] };

export function gcpLineFacts(line: JsonMembers, s: GcpSlots, out: GcpLineFacts): GcpLineFacts {
  const bytes = line.lineBytes;
  const ts = line.rawStart(s.timestamp);
  const te = line.rawEnd(s.timestamp);
  // The common form read from the bytes (all ASCII then); any other, and a non-string, as gcpEvent reads it.
  const fast = ts >= 0 && te > ts ? isoTimeMsBytes(bytes, ts, te) : undefined;
  if (fast !== undefined) {
    out.timeStart = ts;
    out.timeEnd = te;
    out.time = '';
    out.refused = fast === null;
    if (fast === null) return out;
    out.timeMs = fast;
  } else {
    const time = sv(line.value(s.timestamp));
    const timeMs = isoTimeMs(time);
    out.refused = timeMs === null || !time;
    if (timeMs === null || !time) return out;
    out.timeStart = -1;
    out.time = time;
    out.timeMs = timeMs;
  }
  // A protoPayload that is not an object has no members here (obj() of it is null in gcpEvent).
  const p = line.opened(s.protoPayload);
  const method = (p ? sv(line.value(s.methodName)) : null) ?? 'unknown';
  out.method = method;
  out.activity = activityOfMethod(method);
  out.actor = gcpActor(p ? line.value(s.authenticationInfo) : undefined, p ? line.value(s.requestMetadata) : undefined);
  const status = p ? obj(line.value(s.status)) : null;
  const code = typeof status?.code === 'number' ? status.code : null;
  out.failed = code !== null && code !== 0;
  out.errorCode = out.failed ? `code ${code}` : null;
  out.errorMessage = out.failed ? sv(status?.message) : null;
  // sv(): an empty string is none.
  const is = line.rawStart(s.insertId);
  const ie = line.rawEnd(s.insertId);
  out.insertStart = is >= 0 && ie > is ? is : -1;
  out.insertEnd = ie;
  out.insertId = is >= 0 ? null : sv(line.value(s.insertId));
  const op = line.opened(s.operation);
  const os = op ? line.rawStart(s.operationId) : -1;
  const oe = line.rawEnd(s.operationId);
  out.operationStart = os >= 0 && oe > os ? os : -1;
  out.operationEnd = oe;
  out.operationId = !op || os >= 0 ? null : sv(line.value(s.operationId));
  out.producer = out.operationStart >= 0 || out.operationId !== null ? (sv(line.value(s.producer)) ?? '') : '';
  out.first = op && line.value(s.first) === true;
  out.last = op && line.value(s.last) === true;
  return out;
}

/** A facts object to fill, one per reader. */
export const emptyGcpLineFacts = (): GcpLineFacts => ({
  refused: false,
  timeMs: 0,
  time: '',
  timeStart: -1,
  timeEnd: -1,
  method: '',
  activity: 'other',
  actor: NO_ACTOR,
  failed: false,
  errorCode: null,
  errorMessage: null,
  insertId: null,
  insertStart: -1,
  insertEnd: -1,
  operationId: null,
  operationStart: -1,
  operationEnd: -1,
  producer: '',
  first: false,
  last: false,
});
