import type { UserAgentKind } from '../../../shared/cloudtrail';
import type { AgentMatch, AgentMatcher } from './agents';
import {
  type Identity,
  type NormalizedEvent,
  identityFrom,
  isDestructiveName,
  parseEventTime,
  principalOf,
  serviceOf,
  syntheticEventId,
  userAgentKind,
} from './normalize';
import { BytesCache, F, type RecordView } from './record-view';

export interface IdentityEntry {
  identity: Identity;
  /** Known when the caller has an ARN; otherwise it depends on the event source and is worked out per call. */
  principal: { key: string; label: string } | null;
  agent: AgentMatch | null;
}

const EMPTY_IDENTITY: Identity = {
  type: null,
  arn: null,
  principalId: null,
  accountId: null,
  accessKeyId: null,
  userName: null,
  issuerArn: null,
  issuerName: null,
  sessionName: null,
  sourceIdentity: null,
  invokedBy: null,
};

/**
 * Produces the same NormalizedEvent as normalize(record), from a RecordView, reusing what repeats: the parsed
 * identity (with its principal and agent match), user-agent kinds, service names.
 */
export class ViewNormalizer {
  private identities = new BytesCache<IdentityEntry>(32);
  private uaKinds = new Map<string, UserAgentKind>();
  private services = new Map<string, string>();
  private destructive = new Map<string, boolean>();
  private readonly none: IdentityEntry;

  constructor(private readonly agents: AgentMatcher) {
    this.none = { identity: EMPTY_IDENTITY, principal: null, agent: null };
  }

  private entry(text: string): IdentityEntry {
    let ui: unknown;
    try {
      ui = JSON.parse(text);
    } catch {
      ui = {};
    }
    const identity = identityFrom(ui !== null && typeof ui === 'object' ? (ui as Record<string, unknown>) : {}, null);
    return { identity, principal: identity.arn ? principalOf(identity, '') : null, agent: this.agents.match(identity) };
  }

  /** The caller of a record, parsed once per distinct userIdentity, with its principal and agent match. */
  identity(v: RecordView): IdentityEntry {
    const entry = v.nested(F.UserIdentity, this.identities, (t) => this.entry(t)) ?? this.none;
    const top = v.str(F.SourceIdentity);
    if (!top || entry.identity.sourceIdentity) return entry;
    const identity = { ...entry.identity, sourceIdentity: top };
    return { identity, principal: entry.principal, agent: this.agents.match(identity) };
  }

  uaKind(ua: string | null): UserAgentKind {
    if (!ua) return 'none';
    let k = this.uaKinds.get(ua);
    if (!k) {
      k = userAgentKind(ua);
      if (this.uaKinds.size < 10_000) this.uaKinds.set(ua, k);
    }
    return k;
  }

  service(eventSource: string): string {
    let service = this.services.get(eventSource);
    if (service === undefined) this.services.set(eventSource, (service = serviceOf(eventSource)));
    return service;
  }

  destructiveName(eventName: string): boolean {
    let destructive = this.destructive.get(eventName);
    if (destructive === undefined) this.destructive.set(eventName, (destructive = isDestructiveName(eventName)));
    return destructive;
  }

  normalize(v: RecordView): { ev: NormalizedEvent; agent: AgentMatch | null } {
    const entry = this.identity(v);
    const eventSource = v.str(F.EventSource) ?? 'unknown';
    const eventName = v.str(F.EventName) ?? 'unknown';
    const eventTime = v.str(F.EventTime) ?? '';
    const ua = v.str(F.UserAgent);
    const uaKind = this.uaKind(ua);
    const service = this.service(eventSource);
    const destructive = this.destructiveName(eventName);
    const principal = entry.principal ?? principalOf(entry.identity, eventSource);
    const ev: NormalizedEvent = {
      eventID: v.str(F.EventID) ?? syntheticEventId(v.text()),
      eventTime,
      timeSec: v.timeSec(F.EventTime) ?? parseEventTime(eventTime),
      eventSource,
      service,
      eventName,
      awsRegion: v.str(F.AwsRegion),
      sourceIPAddress: v.str(F.SourceIPAddress),
      userAgent: ua,
      uaKind,
      readOnly: v.bool(F.ReadOnly),
      errorCode: v.str(F.ErrorCode),
      errorMessage: v.str(F.ErrorMessage),
      identity: entry.identity,
      principalKey: principal.key,
      principalLabel: principal.label,
      destructive,
    };
    return { ev, agent: entry.agent };
  }
}
