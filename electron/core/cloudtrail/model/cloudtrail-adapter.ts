import type { NormalizedEvent } from '../import/normalize';
import { type Activity, type CloudActor, type CloudEvent, activityOfVerb } from './cloud-event';

/** AWS's own services calling on the account's behalf: by identity type, invokedBy, or a service user agent. */
function kindOf(ev: NormalizedEvent): CloudActor['kind'] {
  const t = ev.identity.type;
  if (t === 'AWSService' || ev.uaKind === 'aws-service' || ev.identity.invokedBy) return 'cloud-service';
  if (t === 'Root') return 'root';
  if (t === 'IAMUser' || t === 'FederatedUser' || t === 'IdentityCenterUser') return 'user';
  if (ev.identity.issuerName?.startsWith('AWSReservedSSO_')) return 'user';
  if (t === 'AssumedRole' || t === 'Role') return 'service-principal';
  return 'unknown';
}

/** The activity of each API name not flagged read-only: the verb regexes run once per name, not once per call. */
const ACTIVITIES = new Map<string, Activity>();

function activityOf(eventName: string, readOnly: boolean | null): Activity {
  if (readOnly === true) return 'read';
  let a = ACTIVITIES.get(eventName);
  if (a === undefined) {
    a = activityOfVerb(eventName, readOnly);
    if (ACTIVITIES.size < 10_000) ACTIVITIES.set(eventName, a);
  }
  return a;
}

/** A CloudTrail record, already normalized by the fast reader, as a CloudEvent. */
export function cloudTrailEvent(ev: NormalizedEvent, resources: string[], file: string, position: number): CloudEvent {
  const failed = ev.errorCode !== null;
  return {
    cloud: 'aws',
    eventId: ev.eventID,
    time: ev.eventTime,
    timeMs: ev.timeSec * 1000,
    subSecond: false,
    account: ev.identity.accountId,
    region: ev.awsRegion,
    service: ev.service,
    operation: ev.eventName,
    activity: activityOf(ev.eventName, ev.readOnly),
    actor: {
      kind: kindOf(ev),
      id: ev.principalKey,
      displayName: ev.principalLabel,
      session: ev.identity.sessionName,
      userAgent: ev.userAgent,
      sourceIp: ev.sourceIPAddress,
      delegation: ev.identity.sourceIdentity ? [ev.identity.sourceIdentity] : [],
    },
    resources,
    status: failed ? 'failure' : 'success',
    errorCode: ev.errorCode,
    errorMessage: ev.errorMessage,
    operationKey: null,
    raw: { file, position },
  };
}
