import { createHash } from 'node:crypto';
import type { UserAgentKind } from '../../../shared/cloudtrail';

/** The identity fields of a record that attribution and agent matching look at. */
export interface Identity {
  type: string | null;
  arn: string | null;
  principalId: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  issuerArn: string | null;
  issuerName: string | null;
  sessionName: string | null;
  sourceIdentity: string | null;
  invokedBy: string | null;
}

/** One record reduced to what the analysis needs; the record itself stays with the caller. */
export interface NormalizedEvent {
  eventID: string;
  eventTime: string;
  /** Seconds since the epoch (CloudTrail times have one-second resolution); 0 when the time is missing or invalid. */
  timeSec: number;
  /** Milliseconds since the epoch where the source has them (Azure, GCP stored beside CloudTrail); else timeSec * 1000. */
  timeMs?: number;
  /** Whether timeMs has sub-second resolution: only then does it order calls within one second. */
  subSecond?: boolean;
  eventSource: string;
  service: string;
  eventName: string;
  awsRegion: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  uaKind: UserAgentKind;
  readOnly: boolean | null;
  errorCode: string | null;
  errorMessage: string | null;
  identity: Identity;
  principalKey: string;
  principalLabel: string;
  destructive: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** Fast path for CloudTrail's fixed `YYYY-MM-DDTHH:MM:SSZ`; anything else goes through Date.parse. */
const digits2 = (t: string, i: number) => (t.charCodeAt(i) - 48) * 10 + t.charCodeAt(i + 1) - 48;

export function parseEventTime(t: string | null): number {
  if (!t) return 0;
  if (t.length === 20 && t.charCodeAt(4) === 45 && t.charCodeAt(10) === 84 && t.charCodeAt(19) === 90) {
    const ms = Date.UTC(digits2(t, 0) * 100 + digits2(t, 2), digits2(t, 5) - 1, digits2(t, 8), digits2(t, 11), digits2(t, 14), digits2(t, 17));
    if (Number.isFinite(ms)) return Math.max(0, Math.floor(ms / 1000));
  }
  return isoTimeSec(t) ?? 0;
}

/** A date and a time of day, a space or T between, optional fraction, optional zone (CloudTrail's times are UTC). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Seconds since the epoch of a date-time, or null when the text is not one or names a moment that does not exist
 * (30 February, hour 25): "yesterday" or an empty string is refused, never read as 1970-01-01. A time without a zone
 * is read as UTC, the zone every cloud audit log writes in.
 */
export function isoTimeSec(text: string | null): number | null {
  const ms = isoTimeMs(text);
  return ms === null ? null : Math.floor(ms / 1000);
}

/** As isoTimeSec, in milliseconds (Azure and GCP times carry fractions that order calls within a second). */
/** Midnight (ms) of the days seen, by YYYYMMDD as a number: a log's records share a few days. */
const dayMs = new Map<number, number | null>();
/** The last day read, which nearly every next record shares. */
let lastDay = -1;
let lastDayMs: number | null = null;

/** Two digits at i as a number, or -1. */
const twoDigits = (t: string, i: number): number => {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
};

/** twoDigits of the bytes at i. */
const twoDigitBytes = (t: Uint8Array, i: number): number => {
  const a = (t[i] as number) - 48;
  const b = (t[i + 1] as number) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
};

/**
 * The common form, YYYY-MM-DDTHH:MM:SS[.fraction]Z, read by character codes without making a string; undefined for
 * any other form. The fraction's first three digits are the milliseconds (the rest is truncated, as before).
 */
function fastIsoTimeMs(t: string): number | null | undefined {
  const n = t.length;
  if (n < 20 || t.charCodeAt(n - 1) !== 90 || t.charCodeAt(10) !== 84 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
  let frac = 0;
  if (n > 20) {
    // A fraction of up to nine digits (nanoseconds, the most any cloud writes); longer ones take the slow path.
    if (t.charCodeAt(19) !== 46 || n === 21 || n > 30) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      if (i < 23) frac += c * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  return utcMs(twoDigits(t, 0), twoDigits(t, 2), twoDigits(t, 5), twoDigits(t, 8), twoDigits(t, 11), twoDigits(t, 14), twoDigits(t, 17), frac);
}

/**
 * isoTimeMs of the ASCII text in bytes[start, end), read from the bytes without making a string, for the common form
 * only: undefined for any other (make the string and call isoTimeMs). A unit test holds it to fastIsoTimeMs.
 */
export function isoTimeMsBytes(t: Uint8Array, start: number, end: number): number | null | undefined {
  const n = end - start;
  if (n < 20 || t[end - 1] !== 90 || t[start + 10] !== 84 || t[start + 4] !== 45 || t[start + 7] !== 45 || t[start + 13] !== 58 || t[start + 16] !== 58) return undefined;
  let frac = 0;
  if (n > 20) {
    if (t[start + 19] !== 46 || n === 21 || n > 30) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = (t[start + i] as number) - 48;
      if (c < 0 || c > 9) return undefined;
      if (i < 23) frac += c * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  return utcMs(twoDigitBytes(t, start), twoDigitBytes(t, start + 2), twoDigitBytes(t, start + 5), twoDigitBytes(t, start + 8), twoDigitBytes(t, start + 11), twoDigitBytes(t, start + 14), twoDigitBytes(t, start + 17), frac);
}

/** The milliseconds of a UTC date and time given as two-digit fields (-1: not digits, undefined); null: no such moment. */
function utcMs(century: number, yy: number, mo: number, dd: number, h: number, mi: number, s: number, frac: number): number | null | undefined {
  if (h < 0 || mi < 0 || s < 0) return undefined;
  if (h > 23 || mi > 59 || s > 60) return null;
  if (century < 0 || yy < 0 || mo < 0 || dd < 0) return undefined;
  const day = (century * 100 + yy) * 10_000 + mo * 100 + dd;
  let d: number | null | undefined = day === lastDay ? lastDayMs : dayMs.get(day);
  if (d === undefined) {
    const y = century * 100 + yy;
    d = mo < 1 || mo > 12 || new Date(Date.UTC(y, mo - 1, dd)).getUTCDate() !== dd ? null : Date.UTC(y, mo - 1, dd);
    if (dayMs.size > 4096) dayMs.clear();
    dayMs.set(day, d);
  }
  lastDay = day;
  lastDayMs = d;
  if (d === null) return null;
  const ms = d + h * 3_600_000 + mi * 60_000 + s * 1000 + frac;
  return ms > 0 ? ms : null;
}

export function isoTimeMs(text: string | null): number | null {
  if (text) {
    const fast = fastIsoTimeMs(text);
    if (fast !== undefined) return fast;
  }
  const m = text ? DATE_TIME.exec(text) : null;
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const s = m[6] ? Number(m[6]) : 0;
  if (h > 23 || mi > 59 || s > 60 || mo < 1 || mo > 12 || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s) + (m[7] ? Math.floor(Number(m[7]) * 1000) : 0);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms > 0 ? ms : null;
}

export const isoOfSec = (sec: number): string => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** "rds.amazonaws.com" -> "rds". */
export const serviceOf = (eventSource: string): string => {
  const dot = eventSource.indexOf('.amazonaws.com');
  return dot > 0 ? eventSource.slice(0, dot) : eventSource;
};

const SDK_UA =
  /(^|[\s[(])(aws-sdk-|aws-cli\/|Boto3\/|botocore\/|Botocore\/|APN\/1\.0 HashiCorp|Terraform\/|terraform-provider|HashiCorp|Pulumi|pulumi|aws-cdk|jsii-runtime|aws-internal\/|S3Console|python-requests|Go-http-client|okhttp|Apache-HttpClient|curl\/|PowerShell|AWSPowerShell|aws-chalice|Serverless|langchain|LangChain|crewai|autogen|openai|anthropic|stratus-red-team|ElasticWolf|CloudMapper|pacu|Pacu|ScoutSuite|prowler)/;
const CONSOLE_UA = /console\.(\w+\.)?amazonaws\.com|signin\.amazonaws\.com|^\[?Mozilla\/|AWS Internal|^Coral\/Jakarta|EC2ConsoleFrontend|S3Console/;
const SERVICE_UA = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

/** What kind of client made the call, from its user agent (the console's own SDK calls count as console). */
export function userAgentKind(ua: string | null): UserAgentKind {
  if (!ua) return 'none';
  if (CONSOLE_UA.test(ua) || ua.includes('S3Console')) return 'console';
  if (SERVICE_UA.test(ua)) return ua.startsWith('console.') || ua.startsWith('signin.') ? 'console' : 'aws-service';
  if (SDK_UA.test(ua)) return 'sdk';
  return 'other';
}

/** Names that destroy, disable or detach: the seed's Delete|Drop|Purge|Terminate|Destroy and their kin. */
const DESTRUCTIVE = /^(Delete|Terminate|Purge|Drop|Destroy|Remove|Detach|Disable|Deregister|Revoke|Stop|Cancel|ScheduleKeyDeletion|StartSecretVersionDelete|Truncate|Disassociate)/;
export const isDestructiveName = (eventName: string): boolean => DESTRUCTIVE.test(eventName);

export function identityOf(record: Record<string, unknown>): Identity {
  return identityFrom(obj(record.userIdentity) ?? {}, str(record.sourceIdentity));
}

/** From a parsed userIdentity; `topSourceIdentity` is a record-level sourceIdentity, where a record carries one. */
export function identityFrom(ui: Record<string, unknown>, topSourceIdentity: string | null): Identity {
  const ctx = obj(ui.sessionContext);
  const issuer = obj(ctx?.sessionIssuer);
  const arn = str(ui.arn);
  const principalId = str(ui.principalId);
  let sessionName: string | null = null;
  const colon = principalId ? principalId.indexOf(':') : -1;
  if (principalId && colon > 0) sessionName = principalId.slice(colon + 1);
  else if (arn && arn.includes(':assumed-role/')) sessionName = arn.slice(arn.lastIndexOf('/') + 1);
  return {
    type: str(ui.type),
    arn,
    principalId,
    accountId: str(ui.accountId),
    accessKeyId: str(ui.accessKeyId),
    userName: str(ui.userName),
    issuerArn: str(issuer?.arn),
    issuerName: str(issuer?.userName),
    sessionName,
    sourceIdentity: str(ctx?.sourceIdentity) ?? str(ui.sourceIdentity) ?? topSourceIdentity,
    invokedBy: str(ui.invokedBy),
  };
}

/** The key a call is attributed to: the caller's ARN, or the best stable name CloudTrail gives when there is none. */
export function principalOf(id: Identity, eventSource: string): { key: string; label: string } {
  if (id.arn) {
    const arn = id.arn;
    const slash = arn.indexOf('/');
    let label = slash > 0 ? arn.slice(slash + 1) : arn;
    if (arn.endsWith(':root')) label = `root (${id.accountId ?? arn.split(':')[4] ?? '?'})`;
    return { key: arn, label };
  }
  if (id.type === 'AWSService') {
    const by = id.invokedBy ?? eventSource;
    return { key: `AWSService:${by}`, label: by };
  }
  if (id.type === 'Root' && id.accountId) return { key: `arn:aws:iam::${id.accountId}:root`, label: `root (${id.accountId})` };
  const name = id.principalId ?? id.userName ?? id.accessKeyId ?? 'unknown';
  const type = id.type ?? 'Unknown';
  return { key: `${type}:${id.accountId ? `${id.accountId}:` : ''}${name}`, label: `${type} ${name}` };
}

/** Records without an eventID still need a stable key to deduplicate by: a hash of their content. */
export const syntheticEventId = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

export function normalize(record: Record<string, unknown>): NormalizedEvent {
  const eventSource = str(record.eventSource) ?? 'unknown';
  const eventName = str(record.eventName) ?? 'unknown';
  const eventTime = str(record.eventTime) ?? '';
  const identity = identityOf(record);
  const principal = principalOf(identity, eventSource);
  const ua = str(record.userAgent);
  const ro = record.readOnly;
  return {
    eventID: str(record.eventID) ?? syntheticEventId(JSON.stringify(record)),
    eventTime,
    timeSec: parseEventTime(eventTime),
    eventSource,
    service: serviceOf(eventSource),
    eventName,
    awsRegion: str(record.awsRegion),
    sourceIPAddress: str(record.sourceIPAddress),
    userAgent: ua,
    uaKind: userAgentKind(ua),
    readOnly: ro === true || ro === 'true' ? true : ro === false || ro === 'false' ? false : null,
    errorCode: str(record.errorCode),
    errorMessage: str(record.errorMessage),
    identity,
    principalKey: principal.key,
    principalLabel: principal.label,
    destructive: isDestructiveName(eventName),
  };
}

const RESOURCE_KEY = /(Identifier|Name|Arn|ARN|Id|Url|URL)$/;
const SKIP_KEYS = new Set(['Host', 'host', 'userName', 'roleSessionName', 'requestId', 'clientRequestToken', 'availabilityZone']);

/**
 * The resources a call names: `resources[].ARN` when CloudTrail lists them, otherwise identifiers in requestParameters
 * (bucketName, dBInstanceIdentifier, tableName, instanceId...), prefixed by the service so they read unambiguously.
 */
export function resourcesOf(record: Record<string, unknown>, service: string): string[] {
  const out = new Set<string>();
  if (Array.isArray(record.resources)) {
    for (const r of record.resources) {
      const a = str(obj(r)?.ARN) ?? str(obj(r)?.arn);
      if (a) out.add(a);
    }
  }
  const params = obj(record.requestParameters);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (out.size >= 8) break;
      if (SKIP_KEYS.has(k) || !RESOURCE_KEY.test(k)) continue;
      if (typeof v === 'string' && v.length > 0 && v.length < 512) out.add(v.startsWith('arn:') ? v : `${service}:${k}=${v}`);
      else if (Array.isArray(v)) for (const x of v.slice(0, 4)) if (typeof x === 'string') out.add(`${service}:${k}=${x}`);
    }
    const items = obj(params.instancesSet)?.items;
    if (Array.isArray(items)) for (const it of items.slice(0, 8)) { const id = str(obj(it)?.instanceId); if (id) out.add(`${service}:instanceId=${id}`); }
  }
  return [...out];
}
