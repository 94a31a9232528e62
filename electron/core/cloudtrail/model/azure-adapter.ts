import { isoTimeMs } from '../import/normalize';
import { type CloudActor, type CloudEvent, activityOfVerb, obj, sv } from './cloud-event';

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
  const identity = obj(r.identity);
  const claims = obj(identity?.claims) ?? obj(r.claims);
  const evidence = obj((obj(identity?.authorization) ?? obj(r.authorization))?.evidence);
  const principalType = sv(evidence?.principalType) ?? sv(evidence?.principal_type);
  const appid = sv(claims?.appid) ?? sv(claims?.azp);
  const idtyp = sv(claims?.idtyp);
  const upn = sv(claims?.[CLAIM_UPN]) ?? sv(claims?.upn) ?? sv(claims?.unique_name);
  const name = sv(claims?.name) ?? sv(claims?.[CLAIM_NAME]);
  const oid = sv(claims?.[CLAIM_OID]) ?? sv(claims?.oid) ?? sv(evidence?.principalId) ?? sv(evidence?.principal_id);
  const caller = sv(r.caller);
  const http = obj(r.httpRequest) ?? obj(r.http_request);
  const ip = sv(r.callerIpAddress) ?? sv(r.caller_ip_address) ?? sv(http?.clientIpAddress) ?? sv(http?.client_ip_address);
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
  const category = sv(r.category) ?? 'Azure';
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
  const time = sv(r.time) ?? sv(r.eventTimestamp) ?? sv(r.event_timestamp);
  const timeMs = isoTimeMs(time);
  if (timeMs === null || !time) return { refused: time ? `time "${time.slice(0, 40)}" is not a date-time` : 'no time' };
  const operationName = sv(r.operationName) ?? sv(r.operation_name) ?? 'unknown';
  const parts = operationName.split('/');
  const service = parts[0] ?? 'unknown';
  const last = (parts[parts.length - 1] ?? '').toLowerCase();
  const verb = last === 'action' ? (parts[parts.length - 2] ?? '') : last;
  const activity = last === 'write' ? 'update' : activityOfVerb(verb);
  const result = sv(r.resultType) ?? sv(r.result_type) ?? sv(r.status) ?? '';
  const signature = sv(r.resultSignature) ?? sv(r.result_signature) ?? sv(r.subStatus) ?? sv(r.sub_status);
  const phase = sv(r.eventName) ?? sv(r.event_name) ?? '';
  const started = STARTED.test(result) || (/^beginrequest$/i.test(phase) && !FAILED.test(result) && !SUCCEEDED.test(result));
  const status: CloudEvent['status'] = FAILED.test(result) ? 'failure' : SUCCEEDED.test(result) ? 'success' : 'unknown';
  const properties = obj(r.properties);
  const resourceId = sv(r.resourceId) ?? sv(r.resource_id) ?? sv(obj(obj(r.identity)?.authorization)?.scope);
  const correlationId = sv(r.correlationId) ?? sv(r.correlation_id);
  const eventId =
    sv(r.eventDataId) ??
    sv(r.event_data_id) ??
    sv(obj(properties?.eventProperties)?.eventDataId) ??
    sv(r.operationId) ??
    sv(r.operation_id) ??
    (/\/events\/([^/]+)\/ticks\//.exec(sv(r.id) ?? '')?.[1] ?? null) ??
    `${correlationId ?? 'no-correlation'}/${result || 'record'}/${time}`;
  return {
    started,
    event: {
      cloud: 'azure',
      eventId,
      time,
      timeMs,
      subSecond: true,
      account: sv(r.subscriptionId) ?? sv(r.subscription_id) ?? (resourceId ? (SUBSCRIPTION.exec(resourceId)?.[1]?.toLowerCase() ?? null) : null),
      region: sv(r.location),
      service: sv(r.resourceProviderName) ?? sv(r.resource_provider_name) ?? service,
      operation: operationName,
      activity,
      actor: actorOf(r),
      resources: resourceId ? [resourceId] : [],
      status,
      errorCode: status === 'failure' ? (signature ?? sv(properties?.statusCode) ?? 'Failed') : null,
      errorMessage: status === 'failure' ? (sv(r.resultDescription) ?? sv(r.result_description) ?? sv(properties?.statusMessage)) : null,
      operationKey: correlationId ? `${correlationId}|${operationName.toLowerCase()}` : null,
      raw: { file, position },
    },
  };
}
