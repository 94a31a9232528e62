import { isoTimeMs } from '../import/normalize';
import { type CloudActor, type CloudEvent, type KeyParts, activityOfVerb, obj, pick, pickObj, sv } from './cloud-event';
import type { Shape } from './json-members';

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

function actorOf(p: Record<string, unknown> | null): CloudActor {
  const auth = obj(p?.authenticationInfo);
  const meta = obj(p?.requestMetadata);
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
 * actorOf for the last few distinct callers: entries from the JSON-lines reader share their repeating
 * authenticationInfo and requestMetadata, so the same caller is recognised by reference and its actor is shared too.
 */
function cachedActorOf(p: Record<string, unknown> | null): CloudActor {
  const auth = p?.authenticationInfo;
  const meta = p?.requestMetadata;
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
  const actor = actorOf(p);
  recentActors.unshift({ auth, meta, actor });
  if (recentActors.length > 8) recentActors.pop();
  return actor;
}

/** The activity of a method: the same few methods recur on every line. */
const activities = new Map<string, CloudEvent['activity']>();
function activityOfMethod(method: string): CloudEvent['activity'] {
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
      actor: cachedActorOf(p),
      resources: resourceName ? [resourceName] : [],
      status: code !== null && code !== 0 ? 'failure' : 'success',
      errorCode: code !== null && code !== 0 ? `code ${code}` : null,
      errorMessage: code !== null && code !== 0 ? sv(status?.message) : null,
      operationKey: opId ? `${producer}|${opId}` : null,
      raw: { file, position },
    },
  };
}
