/**
 * The compact form in which parsed records travel from the readers (worker threads or the main thread) to the analyser:
 * one row of integers per record, strings interned once per reader, and the few rich details (high-risk calls, agent
 * calls) on the side. Typed arrays are transferred between threads without copying, which keeps a million records cheap.
 */
import type { UserAgentKind } from '../../../shared/cloudtrail';
import type { AgentMatch, AgentMatcher } from '../import/agents';
import { type Identity, type NormalizedEvent, parseEventTime, principalOf, resourcesOf, syntheticEventId } from '../import/normalize';
import { ViewNormalizer } from '../import/normalize-view';
import { F, type RecordView } from '../import/record-view';
import { fingerprint, fingerprintBytes } from './fingerprint';
import type { HighRiskRule, HighRiskTable } from './high-risk';

export const ROW_INTS = 11;
export const enum Col {
  FpHi,
  FpLo,
  Principal,
  UserAgent,
  Source,
  Region,
  Name,
  Flags,
  /** Agent identity index, or -1. */
  Agent,
  /** Index into the batch's extras, or -1. */
  Extra,
  /** Offset in the batch's resource list ([count, string ids...]) for agents' calls, or -1. */
  Res,
}

export const enum Flag {
  ReadOnly = 1,
  Error = 2,
  HighRisk = 4,
  Destructive = 8,
  UaSdk = 16,
  UaConsole = 32,
  UaService = 64,
  Write = 128,
  /** The row's time has sub-second resolution (Azure, GCP): it orders calls within one second. */
  SubSecond = 256,
}

export interface NewPrincipal {
  /** Reader-local string id of the principal key. */
  key: number;
  label: string;
  type: string | null;
  accountId: string | null;
}

/** Details kept only for calls that need them: high-risk calls and calls by agent identities. */
export interface RowExtra {
  eventID: string;
  eventTime: string;
  errorCode: string | null;
  errorMessage: string | null;
  resources: string[];
  /** Rule ids, when the call is high-risk. */
  rules: string[] | null;
  awsRegion: string | null;
  principalType: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
}

export interface RowBatch {
  rows: number;
  ints: Int32Array;
  /** Whole seconds since the epoch, per row. */
  times: Float64Array;
  /** Milliseconds since the epoch, per row (whole seconds x 1000 unless the row has Flag.SubSecond). */
  ms: Float64Array;
  /** Strings first seen in this batch; their ids continue from firstString. */
  strings: string[];
  firstString: number;
  principals: NewPrincipal[];
  extras: RowExtra[];
  /** Resources named by agents' calls: for each, its count then the string ids. */
  res: Int32Array;
}

const NO_RULES: HighRiskRule[] = [];
const NO_RESOURCES: string[] = [];

/** Resources named by a call, parsing only requestParameters and resources. */
function resourcesFromView(view: RecordView, service: string): string[] {
  try {
    return resourcesOf({ requestParameters: view.value(F.RequestParameters), resources: view.value(F.Resources) }, service);
  } catch {
    return [];
  }
}

const READ_NAME = /^(Get|List|Describe|Head|Lookup|Search|Select|Scan|Query|BatchGet|Check|Test|Validate|Preview|Estimate|Simulate|View)/;

export class RowEncoder {
  private ids = new Map<string, number>();
  private fresh: string[] = [];
  private firstString = 0;
  private principalsSent = new Set<number>();
  private newPrincipals: NewPrincipal[] = [];
  private ints: Int32Array;
  private times: Float64Array;
  private ms: Float64Array;
  private extras: RowExtra[] = [];
  private res: number[] = [];
  private n = 0;
  private readonly normalizer: ViewNormalizer;
  /** Records that looked like high-risk calls but could not be parsed to check the condition. */
  unparsable = 0;

  constructor(
    private readonly table: HighRiskTable,
    private readonly agents: AgentMatcher,
    private readonly capacity = 8192,
    private readonly emit: (batch: RowBatch) => void,
  ) {
    this.ints = new Int32Array(capacity * ROW_INTS);
    this.times = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.normalizer = new ViewNormalizer(agents);
  }

  private readNames = new Map<string, boolean>();

  /** Whether a call without readOnly reads, by its name (Get..., List..., Describe...). */
  private readName(name: string): boolean {
    let r = this.readNames.get(name);
    if (r === undefined) this.readNames.set(name, (r = READ_NAME.test(name)));
    return r;
  }

  private intern(s: string | null): number {
    if (s === null) return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.fresh.push(s);
    }
    return id;
  }

  /**
   * The scan's hot path: reads only what the row needs from the record's bytes; the rest (strings for the details,
   * the parsed record) is made only for high-risk calls and agents' calls.
   */
  add(view: RecordView): void {
    const n = this.normalizer;
    const id = n.identity(view);
    const eventSource = view.str(F.EventSource) ?? 'unknown';
    const eventName = view.str(F.EventName) ?? 'unknown';
    const readOnly = view.bool(F.ReadOnly);
    // Only a call the table names is parsed in full, to test the row's condition on its parameters.
    let rules: HighRiskRule[] = NO_RULES;
    if (readOnly !== true && this.table.candidates(eventSource, eventName)) {
      try {
        rules = this.table.classify(view.object(), eventSource, eventName);
      } catch {
        this.unparsable++;
      }
    }
    const ua = view.str(F.UserAgent);
    const errorCode = view.str(F.ErrorCode);
    const principal = id.principal ?? principalOf(id.identity, eventSource);
    const raw = view.rawString(F.EventID);
    const [hi, lo] = raw ? fingerprintBytes(raw.buf, raw.start, raw.end) : fingerprint(view.str(F.EventID) ?? syntheticEventId(view.text()));
    const timeSec = view.timeSec(F.EventTime) ?? parseEventTime(view.str(F.EventTime));
    const flags = this.flags(readOnly, eventName, errorCode !== null, rules.length > 0, n.destructiveName(eventName), n.uaKind(ua));
    const resources = id.agent || rules.length ? resourcesFromView(view, n.service(eventSource)) : NO_RESOURCES;
    // Full details travel only for high-risk calls and agents' destructive calls (first-time operations).
    let extra: RowExtra | null = null;
    if (rules.length || (id.agent && flags & Flag.Destructive)) {
      extra = {
        eventID: view.str(F.EventID) ?? syntheticEventId(view.text()),
        eventTime: view.str(F.EventTime) ?? '',
        errorCode,
        errorMessage: view.str(F.ErrorMessage),
        resources,
        rules: rules.length ? rules.map((r) => r.id) : null,
        awsRegion: view.str(F.AwsRegion),
        principalType: id.identity.type,
        sourceIPAddress: view.str(F.SourceIPAddress),
        userAgent: ua,
      };
    }
    this.row(hi, lo, principal.key, principal.label, id.identity, ua, eventSource, view.str(F.AwsRegion), eventName, flags, id.agent, timeSec, timeSec * 1000, extra, id.agent ? resources : null);
  }

  /** One call already normalized (from a stored event). */
  addNormalized(ev: NormalizedEvent, agent: AgentMatch | null, rules: readonly HighRiskRule[], resources: () => string[]): void {
    const subSecond = ev.subSecond === true && ev.timeMs !== undefined;
    const flags = this.flags(ev.readOnly, ev.eventName, ev.errorCode !== null, rules.length > 0, ev.destructive, ev.uaKind) | (subSecond ? Flag.SubSecond : 0);
    const extra: RowExtra | null =
      rules.length || (agent && flags & Flag.Destructive)
        ? {
            eventID: ev.eventID,
            eventTime: ev.eventTime,
            errorCode: ev.errorCode,
            errorMessage: ev.errorMessage,
            resources: resources(),
            rules: rules.length ? rules.map((r) => r.id) : null,
            awsRegion: ev.awsRegion,
            principalType: ev.identity.type,
            sourceIPAddress: ev.sourceIPAddress,
            userAgent: ev.userAgent,
          }
        : null;
    const [hi, lo] = fingerprint(ev.eventID);
    this.row(hi, lo, ev.principalKey, ev.principalLabel, ev.identity, ev.userAgent, ev.eventSource, ev.awsRegion, ev.eventName, flags, agent, ev.timeSec, subSecond ? (ev.timeMs as number) : ev.timeSec * 1000, extra, agent ? (extra?.resources ?? resources()) : null);
  }

  private flags(readOnly: boolean | null, eventName: string, error: boolean, highRisk: boolean, destructiveName: boolean, ua: UserAgentKind): number {
    let flags = 0;
    if (readOnly === true) flags |= Flag.ReadOnly;
    else if (readOnly === false || !this.readName(eventName)) flags |= Flag.Write;
    if (error) flags |= Flag.Error;
    if (highRisk) flags |= Flag.HighRisk;
    if ((destructiveName && !(flags & Flag.ReadOnly)) || highRisk) flags |= Flag.Destructive;
    if (ua === 'sdk') flags |= Flag.UaSdk;
    else if (ua === 'console') flags |= Flag.UaConsole;
    else if (ua === 'aws-service') flags |= Flag.UaService;
    return flags;
  }

  private row(
    hi: number,
    lo: number,
    principalKey: string,
    label: string,
    identity: Identity,
    ua: string | null,
    eventSource: string,
    region: string | null,
    eventName: string,
    flags: number,
    agent: AgentMatch | null,
    timeSec: number,
    ms: number,
    extra: RowExtra | null,
    resources: readonly string[] | null,
  ): void {
    const principal = this.intern(principalKey);
    if (!this.principalsSent.has(principal)) {
      this.principalsSent.add(principal);
      this.newPrincipals.push({ key: principal, label, type: identity.type, accountId: identity.accountId });
    }
    let extraAt = -1;
    if (extra) {
      extraAt = this.extras.length;
      this.extras.push(extra);
    }
    const o = this.n * ROW_INTS;
    const t = this.ints;
    t[o] = hi;
    t[o + 1] = lo;
    t[o + 2] = principal;
    t[o + 3] = this.intern(ua);
    t[o + 4] = this.intern(eventSource);
    t[o + 5] = this.intern(region);
    t[o + 6] = this.intern(eventName);
    t[o + 7] = flags;
    t[o + 8] = agent ? agent.index : -1;
    t[o + 9] = extraAt;
    if (resources) {
      t[o + 10] = this.res.length;
      this.res.push(resources.length);
      for (const r of resources) this.res.push(this.intern(r));
    } else t[o + 10] = -1;
    this.times[this.n] = timeSec;
    this.ms[this.n] = ms;
    this.n++;
    if (this.n === this.capacity) this.flush();
  }

  /** Hands over what is pending (also at the end of each file, so progress is visible). */
  flush(): void {
    if (this.n === 0 && this.fresh.length === 0) return;
    const batch: RowBatch = {
      rows: this.n,
      ints: this.ints.slice(0, this.n * ROW_INTS),
      times: this.times.slice(0, this.n),
      ms: this.ms.slice(0, this.n),
      strings: this.fresh,
      firstString: this.firstString,
      principals: this.newPrincipals,
      extras: this.extras,
      res: Int32Array.from(this.res),
    };
    this.firstString += this.fresh.length;
    this.fresh = [];
    this.newPrincipals = [];
    this.extras = [];
    this.res = [];
    this.n = 0;
    this.emit(batch);
  }
}

/** The buffers of a batch, for postMessage's transfer list. */
export const transferables = (b: RowBatch): ArrayBuffer[] => [b.ints.buffer as ArrayBuffer, b.times.buffer as ArrayBuffer, b.ms.buffer as ArrayBuffer, b.res.buffer as ArrayBuffer];
