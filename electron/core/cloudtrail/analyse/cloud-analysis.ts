import type { CloudHighRisk, CloudName, CloudPrincipal } from '../../../shared/cloudlogs';
import type { CloudEvent } from '../model/cloud-event';
import { type CadenceResult, Meta, cadenceOf, pack, simultaneousCalls } from './cadence';
import { FingerprintSet } from './fingerprint';
import { GrowableFloat64 } from './growable';
import { CLOUD_OF, CLOUD_SHIFT, LOG_ROW_INTS, LogFlag, type LogPrincipal, type LogRowBatch } from './log-rows';

/** A reader's string by its id; -1 is none. */
const stringOf = (strings: readonly string[], id: number): string | null => (id < 0 ? null : (strings[id] as string));

/** What is kept of a high-risk call until the end (its outcome may come in a later record). */
interface Hit {
  event: CloudEvent;
  rules: string[];
  attack: string[];
  agent: boolean;
}

class Caller {
  calls = 0;
  sdk = 0;
  agent = false;
  packed = new GrowableFloat64();
  constructor(readonly actor: LogPrincipal) {}
}

/** What the analysis knows of one reader: its strings and its callers, by the reader's own ids. */
export class LogSource {
  strings: string[] = [];
  principals = new Map<number, LogPrincipal>();
  callers: Array<Caller | undefined> = [];
  /** The reader's string id of the agent value its last agent call matched (reader-local ids are never reused). */
  lastAgent = -1;
}

/**
 * The cloud-wide analysis over CloudEvents only: counts operations (Azure Start and outcome are one, GCP first and last
 * are one), attributes them to their callers, judges each caller's cadence, and keeps the high-risk calls. Memory: a
 * packed float per operation, plus the keys that pair and deduplicate records.
 */
export class CloudAnalysis {
  records = 0;
  duplicates = 0;
  readonly byCloud: Record<CloudName, number> = { aws: 0, azure: 0, gcp: 0 };
  private callers = new Map<string, Caller>();
  /**
   * Operations seen once (an Azure Start waiting for its outcome, a GCP first entry waiting for its last), with their
   * high-risk call or null; an operation leaves once both are in, so only those in flight stay.
   */
  private open = new Map<number, Hit | null>();
  /**
   * Dedup fingerprints of the records consumed; let go by report(), after which nothing more can be consumed. Each of
   * its tables starts at 128 slots (made as first used, 4 MB once all are): most scans are of many thousand records,
   * and each growth on the way there costs an allocation.
   */
  private seen: FingerprintSet | null = new FingerprintSet(1 << 19);
  private hits: Hit[] = [];
  private matchedAgents = new Set<string>();

  constructor(private readonly agents: readonly string[]) {}

  newSource(): LogSource {
    return new LogSource();
  }

  private caller(source: LogSource, principal: number): Caller {
    let c = source.callers[principal];
    if (c) return c;
    const key = source.strings[principal] as string;
    c = this.callers.get(key);
    // The first record consumed of a caller gives its kind and name (a reader sends them the first time it sees it).
    if (!c) this.callers.set(key, (c = new Caller(source.principals.get(principal) as LogPrincipal)));
    source.callers[principal] = c;
    return c;
  }

  /**
   * A batch of records from one reader, in the order they were read. Each record: dropped when its dedup key was seen
   * (CloudTrail eventID, Azure eventDataId, GCP insertId + timestamp); folded into its operation when it is the second
   * of a pair (Azure Start and outcome, GCP first and last: the outcome settles the status, the operation is not
   * counted again); otherwise counted for its caller and cloud. A started record's time stands, its status not.
   */
  consume(batch: LogRowBatch, source: LogSource): void {
    const seen = this.seen;
    if (!seen) throw new Error('records consumed after the report');
    const strings = source.strings;
    for (let k = 0; k < batch.strings.length; k++) strings[batch.firstString + k] = batch.strings[k] as string;
    for (const p of batch.principals) source.principals.set(p.key, p);
    const ints = batch.ints;
    const nums = batch.nums;
    let h = 0;
    for (let r = 0; r < batch.rows; r++) {
      const o = r * LOG_ROW_INTS;
      const flags = ints[o + 3] as number;
      let hitIn: LogRowBatch['hits'][number] | null = null;
      if (flags & LogFlag.HighRisk) {
        while ((batch.hits[h] as LogRowBatch['hits'][number]).row < r) h++;
        hitIn = batch.hits[h] as LogRowBatch['hits'][number];
      }
      if (!seen.add(ints[o] as number, ints[o + 1] as number)) {
        this.duplicates++;
        continue;
      }
      this.records++;
      const agentId = ints[o + 4] as number;
      const agent = agentId >= 0;
      // An agent's calls come in runs: its name is added once per run.
      if (agent && agentId !== source.lastAgent) {
        source.lastAgent = agentId;
        this.matchedAgents.add(strings[agentId] as string);
      }
      const opNum = nums[r * 2 + 1] as number;
      const opKey = Number.isNaN(opNum) ? null : opNum;
      const earlier = opKey !== null ? this.open.get(opKey) : undefined;
      if (earlier !== undefined && opKey !== null) {
        this.open.delete(opKey);
        if (earlier && !(flags & LogFlag.Started) && !(flags & LogFlag.Unknown)) {
          const failed = (flags & LogFlag.Failure) !== 0;
          earlier.event = { ...earlier.event, status: failed ? 'failure' : 'success', errorCode: stringOf(strings, ints[o + 5] as number), errorMessage: stringOf(strings, ints[o + 6] as number) };
        }
        if (!earlier && hitIn) this.hits.push({ event: hitIn.event, rules: hitIn.rules, attack: hitIn.attack, agent });
        // The outcome was read first (a newest-first export): the call happened when it began.
        else if (earlier && hitIn && flags & LogFlag.Started && hitIn.event.timeMs < earlier.event.timeMs) {
          earlier.event = { ...earlier.event, time: hitIn.event.time, timeMs: hitIn.event.timeMs };
        }
        continue;
      }
      const c = this.caller(source, ints[o + 2] as number);
      c.calls++;
      if (agent) c.agent = true;
      if (flags & LogFlag.Sdk) c.sdk++;
      this.byCloud[CLOUD_OF[(flags >> CLOUD_SHIFT) & 3] as CloudName]++;
      const meta = (flags & LogFlag.Read ? 0 : Meta.Write) | (flags & LogFlag.Failure ? Meta.Error : 0) | (hitIn ? Meta.HighRisk : 0) | (flags & LogFlag.Console ? Meta.Console : 0);
      c.packed.push(pack(Math.floor((nums[r * 2] as number) / 1000), 0, 0, meta));
      const hit = hitIn ? { event: hitIn.event, rules: hitIn.rules, attack: hitIn.attack, agent } : null;
      if (hit) this.hits.push(hit);
      if (opKey !== null) this.open.set(opKey, hit);
    }
  }

  private principal(c: Caller): CloudPrincipal {
    const { cadence } = cadenceOf(c.packed.sorted()) as CadenceResult;
    const reasons: string[] = [];
    let likely = false;
    if (c.actor.kind === 'cloud-service') reasons.push(`a ${c.actor.cloud.toUpperCase()} service acting for the account, not a workload identity`);
    else if (cadence.verdict === 'machine' || cadence.verdict === 'mixed') {
      // Cadence decides; the user agent only supports what the cadence shows.
      likely = true;
      reasons.push(...cadence.reasons);
      if (c.sdk * 10 >= c.calls * 9 && c.calls >= 10) reasons.push(`${Math.round((c.sdk / c.calls) * 100)}% of calls from SDK, CLI or infrastructure-as-code clients`);
    } else reasons.push(...cadence.reasons);
    return { cloud: c.actor.cloud, name: c.actor.displayName, kind: c.actor.kind, calls: c.calls, agent: c.agent, cadence, automation: { likely, reasons } };
  }

  private highRisk(): CloudHighRisk[] {
    const hits = [...this.hits].sort((a, b) => a.event.timeMs - b.event.timeMs);
    return hits.map((h, i) => {
      const e = h.event;
      const sameSecond = (j: number) => {
        const other = hits[j];
        return other !== undefined && simultaneousCalls(e, other.event);
      };
      return {
        cloud: e.cloud,
        eventID: e.eventId,
        eventTime: e.time,
        service: e.service,
        operation: e.operation,
        principal: e.actor.id,
        principalName: e.actor.displayName,
        agent: h.agent,
        errorCode: e.status === 'failure' ? (e.errorCode ?? 'failed') : null,
        attack: h.attack,
        rules: h.rules,
        resources: e.resources,
        simultaneous: sameSecond(i - 1) || sameSecond(i + 1),
      };
    });
  }

  report(): { highRisk: CloudHighRisk[]; byPrincipal: Record<string, CloudPrincipal>; unmatchedAgents: string[]; first: string | null } {
    // The dedup table is the largest thing held; its memory goes back before each caller's calls are sorted.
    this.seen = null;
    const byPrincipal: Record<string, CloudPrincipal> = {};
    let first: CloudEvent | null = null;
    for (const [key, c] of [...this.callers.entries()].sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))) {
      byPrincipal[key] = this.principal(c);
    }
    for (const h of this.hits) if (!first || h.event.timeMs < first.timeMs) first = h.event;
    return {
      highRisk: this.highRisk(),
      byPrincipal,
      unmatchedAgents: this.agents.filter((a) => !this.matchedAgents.has(a)),
      first: first?.time ?? null,
    };
  }
}
