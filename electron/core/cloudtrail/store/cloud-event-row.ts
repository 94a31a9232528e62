import { type Identity, userAgentKind } from '../import/normalize';
import { type CloudActor, type CloudEvent, isDestructive } from '../model/cloud-event';
import type { EventRow } from './events-repository';

/**
 * The identity an Azure or GCP caller is stored and matched under. The agent matcher compares names against the user
 * name, the session issuer, the session name and the source identity: the caller's id (app id, object id, principal
 * email), its display name, its session and the first identity of a delegation chain land there, so an agent value
 * naming any of them matches, as `logs scan --agent` does.
 */
export function identityOfActor(cloud: CloudEvent['cloud'], actor: CloudActor, account: string | null): Identity {
  return {
    type: `${cloud}:${actor.kind}`,
    arn: null,
    principalId: actor.id,
    accountId: account,
    accessKeyId: null,
    userName: actor.id,
    issuerArn: null,
    issuerName: actor.displayName !== actor.id ? actor.displayName : null,
    sessionName: actor.session,
    sourceIdentity: actor.delegation[0] ?? null,
    invokedBy: null,
  };
}

export interface CloudRowContext {
  incidentId: string;
  collectionId: string;
  evidenceId: string | null;
  /** The ids of the Azure or GCP high-risk rules the event matches, and their ATT&CK ids. */
  rules: string[];
  attack: string[];
  agent: string | null;
  /** The record holds only the start of its operation; `paired` says it is one of the two records of one. */
  started: boolean;
  paired: boolean;
  record: string;
}

/** An Azure or GCP call as a stored row: the fields CloudTrail rows have, filled from the one event model. */
export function cloudEventRow(e: CloudEvent, c: CloudRowContext): EventRow {
  const failed = e.status === 'failure';
  const identity = identityOfActor(e.cloud, e.actor, e.account);
  return {
    incident_id: c.incidentId,
    event_id: e.eventId,
    event_time: e.time,
    time_sec: Math.floor(e.timeMs / 1000),
    event_source: e.service,
    service: e.service,
    event_name: e.operation,
    aws_region: e.region,
    principal: e.actor.id,
    principal_label: e.actor.displayName,
    principal_type: identity.type,
    identity: JSON.stringify(identity),
    user_agent: e.actor.userAgent,
    ua_kind: userAgentKind(e.actor.userAgent),
    source_ip: e.actor.sourceIp,
    read_only: e.activity === 'read' ? 1 : e.activity === 'other' ? null : 0,
    error_code: failed ? (e.errorCode ?? 'failed') : null,
    error_message: failed ? e.errorMessage : null,
    rules: c.rules.length ? JSON.stringify(c.rules) : null,
    attack: c.rules.length ? JSON.stringify([...c.attack].sort()) : null,
    destructive: isDestructive(e) || c.rules.length ? 1 : 0,
    resources: JSON.stringify(e.resources),
    agent: c.agent,
    evidence_id: c.evidenceId,
    collection_id: c.collectionId,
    cloud: e.cloud,
    time_ms: e.timeMs,
    sub_second: e.subSecond ? 1 : 0,
    operation_key: c.paired ? e.operationKey : null,
    started: c.paired && c.started ? 1 : 0,
    record: c.record,
  };
}
