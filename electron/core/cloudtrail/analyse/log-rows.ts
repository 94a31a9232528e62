/**
 * The compact form in which `logs scan` readers (worker threads or the calling thread) hand records of any cloud to the
 * cloud-wide analysis: each record is mapped into the one event model where it is read, and only what the analysis
 * keeps travels on: a row of integers (dedup fingerprint, caller, flags, outcome), its time and operation key, strings
 * interned once per reader, and the whole CloudEvent only for high-risk calls.
 */
import type { CloudName } from '../../../shared/cloudlogs';
import { type AgentMatcher, agentMatcher } from '../import/agents';
import { resourcesOf } from '../import/normalize';
import { ViewNormalizer } from '../import/normalize-view';
import { F, type RecordView } from '../import/record-view';
import { type AzureLineFacts, type AzureSlots, azureEvent, azureLineFacts, azureSlotsOf, emptyAzureLineFacts } from '../model/azure-adapter';
import type { CloudActor, CloudEvent, KeyParts } from '../model/cloud-event';
import { cloudTrailEvent } from '../model/cloudtrail-adapter';
import { type GcpLineFacts, type GcpSlots, emptyGcpLineFacts, gcpEvent, gcpLineFacts, gcpSlotsOf } from '../model/gcp-adapter';
import type { JsonMembers } from '../model/json-members';
import type { LogFileResult, LogSink } from '../model/log-file-reader';
import { CloudRiskTables, type CloudTablesData } from './cloud-risk-tables';
import { fingerprintOf, keyBytes, keyFinish, keyStart, keyString } from './fingerprint';
import { type HighRiskRule, type HighRiskTable, type ValidatedTable, attackOf, compileHighRiskTable } from './high-risk';

export const LOG_ROW_INTS = 7;
export const enum LogCol {
  DedupHi,
  DedupLo,
  /** Reader-local string id of the caller's id. */
  Principal,
  Flags,
  /** Reader-local string id of the agent value the call matched, or -1. */
  Agent,
  ErrorCode,
  ErrorMessage,
}

export const enum LogFlag {
  Started = 1,
  Paired = 2,
  Read = 4,
  Failure = 8,
  Unknown = 16,
  Sdk = 32,
  Console = 64,
  HighRisk = 128,
}

/** The record's cloud sits in two bits of the flags from here: CLOUD_OF[(flags >> CLOUD_SHIFT) & 3]. */
export const CLOUD_SHIFT = 8;

export const CLOUD_OF: readonly CloudName[] = ['aws', 'azure', 'gcp'];
const CLOUD_BITS: Record<CloudName, number> = { aws: 0, azure: 1 << CLOUD_SHIFT, gcp: 2 << CLOUD_SHIFT };

/** A caller as first seen by one reader (the analysis keeps the first one it consumes). */
export interface LogPrincipal {
  key: number;
  cloud: CloudName;
  kind: CloudActor['kind'];
  displayName: string;
}

/** A high-risk call, whole: its index in the batch, the event, and the rules it matched. */
export interface LogHit {
  row: number;
  event: CloudEvent;
  rules: string[];
  attack: string[];
}

export interface LogRowBatch {
  rows: number;
  /** Records of the file handed to the reader since the previous batch, refused ones included (rows are fewer). */
  records: number;
  ints: Int32Array;
  /** Per row: milliseconds since the epoch, then the operation key's 53-bit number (NaN when the record has none). */
  nums: Float64Array;
  strings: string[];
  firstString: number;
  principals: LogPrincipal[];
  hits: LogHit[];
}

/** Azure and GCP records of a file refused for want of a valid time: how many, and the first positions. */
export interface Refused {
  count: number;
  positions: number[];
}

/** A file as one reader read it: the reader's result, and the records the adapters refused. */
export interface LogFileRead {
  file: LogFileResult;
  refused: Refused;
}

/** What a reader needs to map and classify records: plain data, so it can be handed to a worker thread. */
export interface LogReaderData {
  awsTable: ValidatedTable;
  cloudTables: CloudTablesData;
  agents: string[];
}

/**
 * A 53-bit number from the 64-bit fingerprint of a key given as its parts: a Map keyed by numbers holds far less than
 * one keyed by strings.
 */
export const numberKey = (parts: KeyParts): number => numberOf(fingerprintOf('', parts));

const numberOf = ([hi, lo]: [number, number]): number => (hi & 0x1fffff) * 4294967296 + (lo >>> 0);

/**
 * The dedup fingerprint gcpEvent's key gives, fingerprintOf('gcp|', insertId | time, or method / time | time), with
 * the insertId and timestamp hashed from the line's bytes where they lie there; null when the insertId has a byte
 * outside ASCII (its code units are not its bytes).
 */
function gcpDedup(f: GcpLineFacts, bytes: Uint8Array): [number, number] | null {
  const timeLength = f.timeStart >= 0 ? f.timeEnd - f.timeStart : f.time.length;
  if (f.insertStart >= 0 || f.insertId !== null) {
    keyStart(4 + (f.insertStart >= 0 ? f.insertEnd - f.insertStart : (f.insertId as string).length) + 1 + timeLength);
    keyString('gcp|');
    if (f.insertStart >= 0) {
      if (!keyBytes(bytes, f.insertStart, f.insertEnd)) return null;
    } else keyString(f.insertId as string);
    keyString('|');
    mixTime(f, bytes);
    return keyFinish();
  }
  keyStart(4 + f.method.length + 1 + timeLength + 1 + timeLength);
  keyString('gcp|');
  keyString(f.method);
  keyString('/');
  mixTime(f, bytes);
  keyString('|');
  mixTime(f, bytes);
  return keyFinish();
}

/** Mixes a record's time into the key (its bytes, when it lies there, are ASCII: isoTimeMsBytes read them all). */
function mixTime(f: { timeStart: number; timeEnd: number; time: string }, bytes: Uint8Array): void {
  if (f.timeStart >= 0) keyBytes(bytes, f.timeStart, f.timeEnd);
  else keyString(f.time);
}

/**
 * The dedup fingerprint azureEvent's key gives, fingerprintOf('azure|', id, or correlation / result / time), with the
 * id, correlation id and time hashed from the line's bytes where they lie there; null when one of those has a byte
 * outside ASCII.
 */
function azureDedup(f: AzureLineFacts, bytes: Uint8Array): [number, number] | null {
  if (f.givenStart >= 0) {
    keyStart(6 + f.givenEnd - f.givenStart);
    keyString('azure|');
    return keyBytes(bytes, f.givenStart, f.givenEnd) ? keyFinish() : null;
  }
  if (f.givenId !== null) return fingerprintOf('azure|', [f.givenId]);
  const correlation = f.correlationStart >= 0 ? null : (f.correlationId ?? 'no-correlation');
  const result = f.result || 'record';
  const timeLength = f.timeStart >= 0 ? f.timeEnd - f.timeStart : f.time.length;
  keyStart(6 + (correlation === null ? f.correlationEnd - f.correlationStart : correlation.length) + 1 + result.length + 1 + timeLength);
  keyString('azure|');
  if (correlation !== null) keyString(correlation);
  else if (!keyBytes(bytes, f.correlationStart, f.correlationEnd)) return null;
  keyString('/');
  keyString(result);
  keyString('/');
  mixTime(f, bytes);
  return keyFinish();
}

const SDK_UA = /(aws-sdk-|aws-cli\/|Boto3\/|botocore\/|Terraform|terraform-provider|HashiCorp|Pulumi|azsdk-|AZURECLI|azure-cli|python-requests|Go-http-client|google-api-|gcloud|google-cloud-sdk|grpc-|okhttp|langchain|openai|anthropic)/i;
/** Calls made from a cloud console (a person clicking) never make a machine-speed burst on their own. */
const CONSOLE_UA = /console\.(\w+\.)?amazonaws\.com|signin\.amazonaws\.com|S3Console|EC2ConsoleFrontend|^\[?Mozilla\/|AWS Internal|^Coral\/Jakarta/;

/** Azure and GCP callers are agents when an agent value names their id, display name, session or delegation chain. */
export function cloudAgentOf(agents: readonly string[], actor: CloudActor): string | null {
  for (const a of agents) {
    const x = a.toLowerCase();
    if (actor.id.toLowerCase() === x || actor.displayName.toLowerCase() === x || actor.session?.toLowerCase() === x || actor.delegation.some((d) => d.toLowerCase() === x)) return a;
  }
  return null;
}

const MAX_POSITIONS = 20;
/** The rules and techniques of a call that matched none: shared, as most calls match none. */
const NONE: string[] = [];

/**
 * Maps every record a log-file reader hands over (CloudTrail byte views, Azure and GCP records) into the event model,
 * classifies it, and packs it into row batches. Also counts, per file, the Azure and GCP records refused for want of a
 * valid time (CloudTrail's fast reader counts its own).
 */
export class LogRowEncoder implements LogSink {
  /** Records are only mapped and classified here; high-risk calls keep their CloudEvent, never the record. */
  readonly membersOnly = true;
  private readonly awsTable: HighRiskTable;
  private readonly tables: CloudRiskTables;
  private readonly agents: string[];
  private readonly normalizer: ViewNormalizer;
  private ids = new Map<string, number>();
  private fresh: string[] = [];
  private firstString = 0;
  private principalsSent = new Set<number>();
  private principals: LogPrincipal[] = [];
  private hits: LogHit[] = [];
  private ints: Int32Array;
  private nums: Float64Array;
  private n = 0;
  /** Records handed over in this file, and how many of them the batches so far account for. */
  private calls = 0;
  private callsSent = 0;
  /** Records at the start of the file to map no row for: a reader before this one consumed them. */
  private skip = 0;
  private awsPosition = 0;
  private uaSeen = new Map<string, number>();
  /** The agent value each caller matched (or null), by actor: adapters share one actor object between a caller's records. */
  private agentOfActor = new Map<CloudActor, string | null>();
  /** What row() last worked out of a caller: Azure and GCP records of a run of one caller share its actor object. */
  private rowActor: CloudActor | null = null;
  private rowAgent: string | null = null;
  private rowPrincipal = -1;
  private rowAgentId = -1;
  private rowUaFlags = 0;
  /** Azure and GCP records of the current file refused for want of a valid time, with the first positions. */
  refused: Refused = { count: 0, positions: [] };
  /** gcpLine()'s slots in the line reader they were worked out for, and the facts it fills for each line. */
  private gcpSlots: { line: JsonMembers; slots: GcpSlots } | null = null;
  private readonly facts: GcpLineFacts = emptyGcpLineFacts();
  private azureSlots: { line: JsonMembers; slots: AzureSlots } | null = null;
  private readonly azureFacts: AzureLineFacts = emptyAzureLineFacts();

  /**
   * @param capacity rows per batch. 4,096 rather than 8,192: the consuming thread starts on a file's rows sooner and
   * the last batch of a scan is shorter (400,000-record scans 1% to 4% faster in interleaved runs; at 4,000,000 the
   * same within the noise).
   */
  constructor(
    data: LogReaderData,
    private readonly emit: (batch: LogRowBatch) => void,
    private readonly capacity = 4096,
  ) {
    this.awsTable = compileHighRiskTable(data.awsTable);
    this.tables = new CloudRiskTables(data.cloudTables);
    this.agents = data.agents;
    const matcher: AgentMatcher = agentMatcher(data.agents);
    this.normalizer = new ViewNormalizer(matcher);
    this.ints = new Int32Array(capacity * LOG_ROW_INTS);
    this.nums = new Float64Array(capacity * 2);
  }

  /**
   * Call before each file: positions and refusals are counted per file. `skip`: its first records were consumed already
   * (from a reader thread that died mid-file); they are read and refusals counted, but give no rows.
   */
  startFile(skip = 0): void {
    this.awsPosition = 0;
    this.refused = { count: 0, positions: [] };
    this.calls = 0;
    this.callsSent = 0;
    this.skip = skip;
  }

  /** Counts a record handed over; true when it is one of those to skip. */
  private skipped(): boolean {
    this.calls++;
    if (this.skip === 0) return false;
    this.skip--;
    return true;
  }

  aws(view: RecordView, file: string): void {
    this.awsPosition++;
    if (this.skipped()) return;
    const { ev, agent } = this.normalizer.normalize(view);
    let rules: HighRiskRule[] = [];
    if (ev.readOnly !== true && this.awsTable.candidates(ev.eventSource, ev.eventName)) {
      try {
        rules = this.awsTable.classify(view.object(), ev.eventSource, ev.eventName);
      } catch {
        rules = [];
      }
    }
    // Resources are read only where they are kept: high-risk calls.
    const resources = rules.length ? resourcesOf({ requestParameters: view.value(F.RequestParameters), resources: view.value(F.Resources) }, ev.service) : [];
    const e = cloudTrailEvent(ev, resources, file, this.awsPosition);
    const id = [ev.eventID];
    if (rules.length === 0) this.row(e, 'aws|', id, null, 0, NONE, NONE, agent ? agent.identity : null);
    else this.row(e, 'aws|', id, null, 0, rules.map((r) => r.id), attackOf(rules), agent ? agent.identity : null);
  }

  azure(record: Record<string, unknown>, file: string, position: number): void {
    const skip = this.skipped();
    const r = azureEvent(record, file, position);
    if ('refused' in r) return this.refuse(position);
    if (skip) return;
    const flags = (r.started ? LogFlag.Started : 0) | LogFlag.Paired;
    this.cloudRow(r.event, 'azure|', r.idParts, r.operationParts, flags);
  }

  gcp(record: Record<string, unknown>, file: string, position: number): void {
    const skip = this.skipped();
    const r = gcpEvent(record, file, position);
    if ('refused' in r) return this.refuse(position);
    if (skip) return;
    const flags = (r.first && !r.last ? LogFlag.Started : 0) | (r.first !== r.last ? LogFlag.Paired : 0);
    this.cloudRow(r.event, 'gcp|', r.dedupParts, r.operationParts, flags);
  }

  /**
   * gcp() for a Cloud Audit Logs entry read member by member (JsonMembers.readSlots): the same row, without making the
   * record or its CloudEvent. False, having done nothing, for a high-risk call (its whole event is kept): the caller
   * then hands the record to gcp().
   */
  gcpLine(line: JsonMembers, position: number): boolean {
    if (this.gcpSlots?.line !== line) this.gcpSlots = { line, slots: gcpSlotsOf(line) };
    const f = gcpLineFacts(line, this.gcpSlots.slots, this.facts);
    const due = this.rowDue(f.refused, 'gcp', f.method, f.activity, position);
    if (due !== true) return due === false;
    const flags = (f.first && !f.last ? LogFlag.Started : 0) | (f.first !== f.last ? LogFlag.Paired : 0);
    const bytes = line.lineBytes;
    const [hi, lo] = gcpDedup(f, bytes) ?? this.gcpDedupOfStrings(f, line);
    let operation = Number.NaN;
    if (flags & LogFlag.Paired && f.operationStart >= 0) {
      keyStart(f.producer.length + 1 + f.operationEnd - f.operationStart);
      keyString(f.producer);
      keyString('|');
      operation = keyBytes(bytes, f.operationStart, f.operationEnd) ? numberOf(keyFinish()) : numberKey([f.producer, '|', line.value(this.gcpSlots.slots.operationId) as string]);
    } else if (flags & LogFlag.Paired && f.operationId !== null) operation = numberKey([f.producer, '|', f.operationId]);
    this.put(f.actor, this.agentOf(f.actor), 'gcp', flags, f.activity === 'read', f.failed ? 'failure' : 'success', f.errorCode, f.errorMessage, f.timeMs, hi, lo, operation);
    return true;
  }

  /**
   * azure() for an Activity Log record read member by member (JsonMembers.readSlots): the same row, without making the
   * record or its CloudEvent. False, having done nothing, for a high-risk call: the caller then hands the record to azure().
   */
  azureLine(line: JsonMembers, position: number): boolean {
    if (this.azureSlots?.line !== line) this.azureSlots = { line, slots: azureSlotsOf(line) };
    const f = azureLineFacts(line, this.azureSlots.slots, this.azureFacts);
    const due = this.rowDue(f.refused, 'azure', f.operation, f.activity, position);
    if (due !== true) return due === false;
    const flags = (f.started ? LogFlag.Started : 0) | LogFlag.Paired;
    // azureEvent's keys: the record's own id, or its operation, result and time; the operation by correlation id.
    const bytes = line.lineBytes;
    const [hi, lo] = azureDedup(f, bytes) ?? this.azureDedupOfStrings(f, line);
    let operation = Number.NaN;
    if (f.correlationStart >= 0) {
      keyStart(f.correlationEnd - f.correlationStart + 1 + f.lower.length);
      if (keyBytes(bytes, f.correlationStart, f.correlationEnd)) {
        keyString('|');
        keyString(f.lower);
        operation = numberOf(keyFinish());
      } else operation = numberKey([line.value((this.azureSlots.slots as AzureSlots).correlationId as number) as string, '|', f.lower]);
    } else if (f.correlationId) operation = numberKey([f.correlationId, '|', f.lower]);
    this.put(f.actor, this.agentOf(f.actor), 'azure', flags, f.activity === 'read', f.status, f.errorCode, f.errorMessage, f.timeMs, hi, lo, operation);
    return true;
  }

  /**
   * What gcpLine and azureLine do before a row: null for a high-risk call (nothing done: the record's path keeps its
   * whole event), false when no row is due (a refused record, counted; or one a reader that died had handed over),
   * true when one is.
   */
  private rowDue(refused: boolean, cloud: CloudName, operation: string, activity: CloudEvent['activity'], position: number): boolean | null {
    if (!refused && this.tables.matchOperation(cloud, operation, activity).length > 0) return null;
    const skip = this.skipped();
    if (refused) {
      this.refuse(position);
      return false;
    }
    return !skip;
  }

  /** azureDedup's fingerprint, from the record's strings: its id or correlation id had a byte outside ASCII. */
  private azureDedupOfStrings(f: AzureLineFacts, line: JsonMembers): [number, number] {
    const slots = (this.azureSlots as { slots: AzureSlots }).slots;
    const text = (start: number, slot: number | undefined, given: string | null) => (start >= 0 ? (line.value(slot as number) as string) : given);
    const givenId = text(f.givenStart, slots.eventDataId, f.givenId);
    if (givenId !== null) return fingerprintOf('azure|', [givenId]);
    const time = text(f.timeStart, slots.time, f.time) as string;
    return fingerprintOf('azure|', [text(f.correlationStart, slots.correlationId, f.correlationId) ?? 'no-correlation', '/', f.result || 'record', '/', time]);
  }

  /** gcpDedup's fingerprint, from the entry's strings: its insertId had a byte outside ASCII. */
  private gcpDedupOfStrings(f: GcpLineFacts, line: JsonMembers): [number, number] {
    const slots = (this.gcpSlots as { slots: GcpSlots }).slots;
    const time = f.timeStart >= 0 ? (line.value(slots.timestamp) as string) : f.time;
    const insertId = f.insertStart >= 0 ? (line.value(slots.insertId) as string) : f.insertId;
    return insertId !== null ? fingerprintOf('gcp|', [insertId, '|', time]) : fingerprintOf('gcp|', [f.method, '/', time, '|', time]);
  }

  /** The agent value a caller matched, or null: worked out once per actor (adapters share one actor between a caller's records). */
  private agentOf(actor: CloudActor): string | null {
    let agent = this.agentOfActor.get(actor);
    if (agent === undefined) {
      agent = cloudAgentOf(this.agents, actor);
      if (this.agentOfActor.size >= 4096) this.agentOfActor.clear();
      this.agentOfActor.set(actor, agent);
    }
    return agent;
  }

  private cloudRow(e: CloudEvent, dedupPrefix: string, dedup: KeyParts, operation: KeyParts | null, flags: number): void {
    const rules = this.tables.match(e);
    const agent = this.agentOf(e.actor);
    if (rules.length === 0) this.row(e, dedupPrefix, dedup, operation, flags, NONE, NONE, agent);
    else this.row(e, dedupPrefix, dedup, operation, flags, rules.map((x) => x.id), [...new Set(rules.flatMap((x) => x.attack))], agent);
  }

  private refuse(position: number): void {
    this.refused.count++;
    if (this.refused.positions.length < MAX_POSITIONS) this.refused.positions.push(position);
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

  /** The SDK and console flags of a user agent, worked out once per distinct one. */
  private uaFlags(ua: string): number {
    let r = this.uaSeen.get(ua);
    if (r === undefined) {
      if (this.uaSeen.size > 4096) this.uaSeen.clear();
      r = (SDK_UA.test(ua) ? LogFlag.Sdk : 0) | (CONSOLE_UA.test(ua) ? LogFlag.Console : 0);
      this.uaSeen.set(ua, r);
    }
    return r;
  }

  /**
   * One row. The record's dedup key is the cloud's prefix and the parts of the adapter's key (CloudTrail eventID, Azure
   * eventId, GCP insertId and timestamp), so the same record read twice is told by any reader; `operation`: the parts
   * of e.operationKey.
   */
  private row(e: CloudEvent, dedupPrefix: string, dedup: KeyParts, operation: KeyParts | null, phase: number, rules: string[], attack: string[], agent: string | null): void {
    let flags = phase;
    if (rules.length) {
      flags |= LogFlag.HighRisk;
      this.hits.push({ row: this.n, event: e, rules, attack });
    }
    const [hi, lo] = fingerprintOf(dedupPrefix, dedup);
    const opKey = operation && phase & LogFlag.Paired ? numberKey(operation) : Number.NaN;
    this.put(e.actor, agent, e.cloud, flags, e.activity === 'read', e.status, e.errorCode, e.errorMessage, e.timeMs, hi, lo, opKey);
  }

  /** Writes the row of a record: its caller, flags (the phase and high-risk ones), time, dedup fingerprint and operation key. */
  private put(actor: CloudActor, agent: string | null, cloud: CloudName, phaseFlags: number, read: boolean, status: CloudEvent['status'], errorCode: string | null, errorMessage: string | null, timeMs: number, hi: number, lo: number, opKey: number): void {
    if (actor !== this.rowActor || agent !== this.rowAgent) {
      const principal = this.intern(actor.id);
      if (!this.principalsSent.has(principal)) {
        this.principalsSent.add(principal);
        this.principals.push({ key: principal, cloud, kind: actor.kind, displayName: actor.displayName });
      }
      this.rowActor = actor;
      this.rowAgent = agent;
      this.rowPrincipal = principal;
      this.rowAgentId = this.intern(agent);
      this.rowUaFlags = actor.userAgent === null ? 0 : this.uaFlags(actor.userAgent);
    }
    let flags = phaseFlags | CLOUD_BITS[cloud] | this.rowUaFlags;
    if (read) flags |= LogFlag.Read;
    if (status === 'failure') flags |= LogFlag.Failure;
    else if (status === 'unknown') flags |= LogFlag.Unknown;
    const o = this.n * LOG_ROW_INTS;
    const t = this.ints;
    t[o] = hi;
    t[o + 1] = lo;
    t[o + 2] = this.rowPrincipal;
    t[o + 3] = flags;
    t[o + 4] = this.rowAgentId;
    t[o + 5] = this.intern(errorCode);
    t[o + 6] = this.intern(errorMessage);
    this.nums[this.n * 2] = timeMs;
    this.nums[this.n * 2 + 1] = opKey;
    this.n++;
    if (this.n === this.capacity) this.flush();
  }

  /** Hands over what is pending: also at the end of each file, whose rows must all be out before its result. */
  flush(): void {
    if (this.n === 0 && this.fresh.length === 0) return;
    const batch: LogRowBatch = {
      rows: this.n,
      records: this.calls - this.callsSent,
      ints: this.ints.slice(0, this.n * LOG_ROW_INTS),
      nums: this.nums.slice(0, this.n * 2),
      strings: this.fresh,
      firstString: this.firstString,
      principals: this.principals,
      hits: this.hits,
    };
    this.callsSent = this.calls;
    this.firstString += this.fresh.length;
    this.fresh = [];
    this.principals = [];
    this.hits = [];
    this.n = 0;
    this.emit(batch);
  }
}

/** The buffers of a batch, for postMessage's transfer list. */
export const logTransferables = (b: LogRowBatch): ArrayBuffer[] => [b.ints.buffer as ArrayBuffer, b.nums.buffer as ArrayBuffer];
