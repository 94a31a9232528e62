/**
 * The one event model every audit trail maps into, aligned with OCSF API Activity (class 6003): CloudTrail, Azure
 * Activity Log and GCP Cloud Audit Logs each have an adapter that turns a record into a CloudEvent, and the cloud-wide
 * analysis (`logs scan`) reads only CloudEvents, so a fourth source is one more adapter.
 */

export type Cloud = 'aws' | 'azure' | 'gcp';
export const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

/** OCSF API Activity `activity_id`: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
export type Activity = 'create' | 'read' | 'update' | 'delete' | 'other';
export const OCSF_ACTIVITY_ID: Record<Activity, number> = { create: 1, read: 2, update: 3, delete: 4, other: 99 };
export const OCSF_CLASS_UID = 6003;

/**
 * Who made the call, in OCSF `actor` terms. `kind` says what sort of caller it is, which decides how its cadence is
 * judged: a cloud's own service principal (AWSService, Azure first-party app, GCP service agent) is never "automation
 * gone wrong"; a service principal or service account is a machine identity; a user is a person until the cadence says otherwise.
 */
export interface CloudActor {
  kind: 'user' | 'service-principal' | 'managed-identity' | 'service-account' | 'cloud-service' | 'root' | 'unknown';
  /** The stable id the calls are attributed to (ARN, object id / app id, principal email). */
  id: string;
  displayName: string;
  /** Role session, token id, or null. */
  session: string | null;
  userAgent: string | null;
  sourceIp: string | null;
  /** Identities the call was made through (GCP service-account impersonation chain, AWS source identity). */
  delegation: string[];
}

export interface CloudEvent {
  cloud: Cloud;
  /** The source's own id of the record (CloudTrail eventID, Azure eventDataId or operationId, GCP insertId). */
  eventId: string;
  /** ISO time as the source wrote it, and milliseconds since the epoch (sub-second where the source has it). */
  time: string;
  timeMs: number;
  /** Whether the source's times have sub-second resolution (CloudTrail's do not: same-second calls are simultaneous). */
  subSecond: boolean;
  /** AWS account, Azure subscription, GCP project. */
  account: string | null;
  region: string | null;
  /** "rds", "Microsoft.Compute", "compute.googleapis.com". */
  service: string;
  /** "DeleteDBInstance", "Microsoft.Compute/disks/delete", "v1.compute.instances.delete". */
  operation: string;
  activity: Activity;
  actor: CloudActor;
  resources: string[];
  status: 'success' | 'failure' | 'unknown';
  errorCode: string | null;
  errorMessage: string | null;
  /** Key that makes one operation out of several records (Azure correlationId + operation, GCP operation.id). */
  operationKey: string | null;
  /** Where the raw record lies: the file and its 1-based position there. */
  raw: { file: string; position: number };
}

/**
 * A key as the strings it joins: an adapter gives its record's dedup and operation keys so, and whoever hashes them
 * reads the parts (a joined string made of a record's values would be copied whole before it could be read).
 */
export type KeyParts = readonly string[];

const READ = /^(get|list|describe|head|lookup|search|select|scan|query|batchget|check|test|validate|preview|estimate|simulate|view|read)/i;
const CREATE = /^(create|insert|put|add|run|start|launch|register|import|copy|attach|associate|generate|allocate|issue|enable)/i;
const DELETE = /^(delete|terminate|purge|drop|destroy|remove|detach|disable|deregister|revoke|stop|cancel|schedulekeydeletion|truncate|disassociate|deallocate|undelete)/i;

/** The OCSF activity of an operation from its verb (the last verb-bearing part of the name). */
export function activityOfVerb(verb: string, readOnly: boolean | null = null): Activity {
  if (readOnly === true) return 'read';
  if (DELETE.test(verb)) return 'delete';
  if (READ.test(verb)) return 'read';
  if (CREATE.test(verb)) return 'create';
  if (/^(update|modify|set|patch|change|replace|write|edit|move|rotate|reset|tag|untag|apply)/i.test(verb)) return 'update';
  return 'other';
}

/** Whether a call destroys, disables or detaches: what the seeds call a destructive API call. */
export const isDestructive = (e: CloudEvent): boolean => e.activity === 'delete';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
export const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * One value as pick() reads it: a non-empty string, or an object's non-empty string `value`. Adapters read their hot
 * fields with `sv(o?.field) ?? sv(o?.other_spelling)`: a named property read at its own site stays fast, where pick's
 * one shared keyed read sees every shape of every record and slows to a generic lookup.
 */
export const sv = (v: unknown): string | null => str(v) ?? str(obj(v)?.value);

/** A string field by any of its spellings (REST camelCase, storage export, SDK-serialised snake_case). */
export function pick(o: Record<string, unknown> | null, ...keys: string[]): string | null {
  if (!o) return null;
  for (const k of keys) {
    const v = o[k];
    const s = str(v) ?? str(obj(v)?.value);
    if (s) return s;
  }
  return null;
}

export const pickObj = (o: Record<string, unknown> | null, ...keys: string[]): Record<string, unknown> | null => {
  if (!o) return null;
  for (const k of keys) {
    const v = obj(o[k]);
    if (v) return v;
  }
  return null;
};
