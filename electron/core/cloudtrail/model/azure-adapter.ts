import { isoTimeMs } from '../import/normalize';
import { type CloudActor, type CloudEvent, activityOfVerb, obj, pick, pickObj } from './cloud-event';

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

/** Whether a record looks like an Azure Activity Log record, in any of the shapes the exports use. */
export const isAzureRecord = (r: Record<string, unknown>): boolean =>
  ('operationName' in r || 'operation_name' in r) && ('time' in r || 'eventTimestamp' in r || 'event_timestamp' in r || 'resourceId' in r || 'resource_id' in r);

/** The caller, from the claims and the role assignment evidence (storage/Event Hub) or the REST `caller` and `claims`. */
function actorOf(r: Record<string, unknown>): CloudActor {
  const identity = pickObj(r, 'identity');
  const claims = pickObj(identity, 'claims') ?? pickObj(r, 'claims');
  const evidence = pickObj(pickObj(identity, 'authorization') ?? pickObj(r, 'authorization'), 'evidence');
  const principalType = pick(evidence, 'principalType', 'principal_type');
  const appid = pick(claims, 'appid', 'azp');
  const idtyp = pick(claims, 'idtyp');
  const upn = pick(claims, CLAIM_UPN, 'upn', 'unique_name');
  const name = pick(claims, 'name', CLAIM_NAME);
  const oid = pick(claims, CLAIM_OID, 'oid') ?? pick(evidence, 'principalId', 'principal_id');
  const caller = pick(r, 'caller');
  const ip = pick(r, 'callerIpAddress', 'caller_ip_address') ?? pick(pickObj(r, 'httpRequest', 'http_request'), 'clientIpAddress', 'client_ip_address');
  const base = { session: pick(claims, 'uti'), userAgent: null, sourceIp: ip, delegation: [] as string[] };
  if (pickObj(claims, 'xms_mirid') || pick(claims, 'xms_mirid') || /managedidentity/i.test(principalType ?? '')) {
    const id = oid ?? appid ?? caller ?? 'unknown';
    return { ...base, kind: 'managed-identity', id, displayName: pick(claims, 'xms_mirid')?.split('/').pop() ?? name ?? id };
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
  const category = pick(r, 'category') ?? 'Azure';
  return { ...base, kind: 'cloud-service', id: `azure:${category}`, displayName: `Azure (${category})` };
}

export interface AzureRecord {
  event: CloudEvent;
  /** Start records are folded into their outcome; only when no outcome came does the Start stand for the operation. */
  started: boolean;
}

/**
 * One Azure Activity Log record as a CloudEvent, or a reason it cannot be one (no valid time). Storage export and
 * Event Hub records (`time`, `operationName` as a string, `identity`), REST / `az monitor activity-log list` records
 * (`eventTimestamp`, `operationName.value`, `status.value`, `caller`, `claims`) and SDK-serialised ones (snake_case).
 */
export function azureEvent(r: Record<string, unknown>, file: string, position: number): AzureRecord | { refused: string } {
  const time = pick(r, 'time', 'eventTimestamp', 'event_timestamp');
  const timeMs = isoTimeMs(time);
  if (timeMs === null || !time) return { refused: time ? `time "${time.slice(0, 40)}" is not a date-time` : 'no time' };
  const operationName = pick(r, 'operationName', 'operation_name') ?? 'unknown';
  const parts = operationName.split('/');
  const service = parts[0] ?? 'unknown';
  const last = (parts[parts.length - 1] ?? '').toLowerCase();
  const verb = last === 'action' ? (parts[parts.length - 2] ?? '') : last;
  const activity = last === 'write' ? 'update' : activityOfVerb(verb);
  const result = pick(r, 'resultType', 'result_type') ?? pick(r, 'status') ?? '';
  const signature = pick(r, 'resultSignature', 'result_signature') ?? pick(r, 'subStatus', 'sub_status');
  const phase = pick(r, 'eventName', 'event_name') ?? '';
  const started = STARTED.test(result) || (/^beginrequest$/i.test(phase) && !FAILED.test(result) && !SUCCEEDED.test(result));
  const status: CloudEvent['status'] = FAILED.test(result) ? 'failure' : SUCCEEDED.test(result) ? 'success' : 'unknown';
  const properties = pickObj(r, 'properties');
  const resourceId = pick(r, 'resourceId', 'resource_id') ?? pick(pickObj(pickObj(r, 'identity'), 'authorization'), 'scope');
  const correlationId = pick(r, 'correlationId', 'correlation_id');
  const eventId =
    pick(r, 'eventDataId', 'event_data_id') ??
    pick(obj(properties?.eventProperties), 'eventDataId') ??
    pick(r, 'operationId', 'operation_id') ??
    (/\/events\/([^/]+)\/ticks\//.exec(pick(r, 'id') ?? '')?.[1] ?? null) ??
    `${correlationId ?? 'no-correlation'}/${result || 'record'}/${time}`;
  return {
    started,
    event: {
      cloud: 'azure',
      eventId,
      time,
      timeMs,
      subSecond: true,
      account: pick(r, 'subscriptionId', 'subscription_id') ?? (resourceId ? (SUBSCRIPTION.exec(resourceId)?.[1]?.toLowerCase() ?? null) : null),
      region: pick(r, 'location'),
      service: pick(r, 'resourceProviderName', 'resource_provider_name') ?? service,
      operation: operationName,
      activity,
      actor: actorOf(r),
      resources: resourceId ? [resourceId] : [],
      status,
      errorCode: status === 'failure' ? (signature ?? pick(properties, 'statusCode') ?? 'Failed') : null,
      errorMessage: status === 'failure' ? (pick(r, 'resultDescription', 'result_description') ?? pick(properties, 'statusMessage')) : null,
      operationKey: correlationId ? `${correlationId}|${operationName.toLowerCase()}` : null,
      raw: { file, position },
    },
  };
}
