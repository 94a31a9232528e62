import type { HighRiskEvent, PrincipalSummary, ScanFileResult, ScanReport, UserAgentCount } from '../../../shared/cloudtrail';
import { isoOfSec, userAgentKind } from '../import/normalize';
import { AgentAggregate } from './blast-radius';
import { type CadenceResult, Meta, cadenceOf, inRanges, pack, simultaneousCalls, timeOf } from './cadence';
import { FingerprintSet } from './fingerprint';
import { GrowableFloat64, type SortedValues } from './growable';
import { agentCards } from './agent-cards';
import { type HighRiskTable, attackOf, ruleRef } from './high-risk';
import { Col, Flag, ROW_INTS, type RowBatch, type RowExtra } from './row-batch';

/** Reader-local string ids mapped to the analyser's ids; one per reader (thread). */
export interface SourceMap {
  ids: number[];
}

class PrincipalAggregate {
  calls = 0;
  errors = 0;
  readOnly = 0;
  writes = 0;
  highRisk = 0;
  highRiskFailed = 0;
  sdk = 0;
  services = new Map<number, number>();
  regions = new Map<number, number>();
  userAgents = new Map<number, number>();
  agents = new Map<number, number>();
  packed = new GrowableFloat64();
  private result: { sorted: SortedValues; cadence: CadenceResult } | null = null;

  constructor(
    readonly key: string,
    readonly label: string,
    readonly type: string | null,
    readonly accountId: string | null,
  ) {}

  /** Sorts the calls once, after the last row; cadence and bursts come from the sorted calls. */
  analysed(): { sorted: SortedValues; cadence: CadenceResult } {
    if (!this.result) {
      const sorted = this.packed.sorted();
      this.result = { sorted, cadence: cadenceOf(sorted) };
    }
    return this.result;
  }
}

interface HitDraft {
  principal: PrincipalAggregate;
  eventSource: string;
  eventName: string;
  timeSec: number;
  /** Milliseconds; they order calls within one second only where the source has them (subSecond). */
  timeMs: number;
  subSecond: boolean;
  agent: number;
  extra: RowExtra;
}


const inc = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * A cloud's own service acting for the account (delivery.logs.amazonaws.com, config, CloudFormation; an Azure
 * first-party app, a GCP service agent stored as `azure:cloud-service` / `gcp:cloud-service`): by type or its user agents.
 */
export const isAwsService = (type: string | null, userAgents: readonly UserAgentCount[]): boolean =>
  type === 'AWSService' ||
  (type !== null && type.endsWith(':cloud-service')) || (userAgents.length > 0 && userAgents.every((u) => u.kind === 'aws-service'));
const SDK_SHARE_FOR_AUTOMATION = 0.9;
const MIN_CALLS_FOR_AUTOMATION = 10;

/**
 * Aggregates rows from any number of readers: deduplicates by eventID fingerprint, attributes each call to its
 * principal and agent identity, and keeps per principal one packed float per call for cadence. Memory is about
 * 24 bytes per distinct record plus what the principals and agents touched.
 */
export class Analyzer {
  records = 0;
  duplicates = 0;
  private seen = new FingerprintSet(1 << 16);
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private serviceSlots = new Map<number, number>();
  private serviceNames: string[] = [];
  private regionSlots = new Map<number, number>();
  private regionNames: string[] = ['(none)'];
  private principals = new Map<number, PrincipalAggregate>();
  private agents: AgentAggregate[];
  private hits: HitDraft[] = [];
  private minTime = Infinity;
  private maxTime = -Infinity;

  constructor(
    private readonly table: HighRiskTable,
    private readonly agentIdentities: readonly string[],
  ) {
    this.agents = agentIdentities.map((a) => new AgentAggregate(a));
  }

  newSource(): SourceMap {
    return { ids: [] };
  }

  private intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private slot(map: Map<number, number>, names: string[], id: number, max: number): number {
    let s = map.get(id);
    if (s === undefined) {
      s = Math.min(names.length, max);
      if (names.length <= max) names.push(this.strings[id] as string);
      map.set(id, s);
    }
    return s;
  }

  consume(batch: RowBatch, src: SourceMap): void {
    const ids = src.ids;
    for (let k = 0; k < batch.strings.length; k++) ids[batch.firstString + k] = this.intern(batch.strings[k] as string);
    for (const p of batch.principals) {
      const id = ids[p.key] as number;
      if (!this.principals.has(id)) this.principals.set(id, new PrincipalAggregate(this.strings[id] as string, p.label, p.type, p.accountId));
    }
    const t = batch.ints;
    for (let r = 0; r < batch.rows; r++) {
      const o = r * ROW_INTS;
      if (!this.seen.add(t[o + Col.FpHi] as number, t[o + Col.FpLo] as number)) {
        this.duplicates++;
        continue;
      }
      this.records++;
      const p = this.principals.get(ids[t[o + Col.Principal] as number] as number) as PrincipalAggregate;
      const flags = t[o + Col.Flags] as number;
      const uaLocal = t[o + Col.UserAgent] as number;
      const regionLocal = t[o + Col.Region] as number;
      const source = ids[t[o + Col.Source] as number] as number;
      const region = regionLocal >= 0 ? (ids[regionLocal] as number) : -1;
      const timeSec = batch.times[r] as number;
      const timeMs = batch.ms[r] as number;
      const subSecond = (flags & Flag.SubSecond) !== 0;
      p.calls++;
      if (flags & Flag.Error) p.errors++;
      if (flags & Flag.ReadOnly) p.readOnly++;
      if (flags & Flag.Write) p.writes++;
      if (flags & Flag.UaSdk) p.sdk++;
      inc(p.services, source);
      if (region >= 0) inc(p.regions, region);
      if (uaLocal >= 0) inc(p.userAgents, ids[uaLocal] as number);
      if (timeSec > 0) {
        if (timeSec < this.minTime) this.minTime = timeSec;
        if (timeSec > this.maxTime) this.maxTime = timeSec;
      }
      const meta =
        (flags & Flag.Write ? Meta.Write : 0) |
        (flags & Flag.Error ? Meta.Error : 0) |
        (flags & Flag.UaConsole ? Meta.Console : 0) |
        (flags & Flag.HighRisk ? Meta.HighRisk : 0);
      const packed = pack(
        timeSec,
        this.slot(this.serviceSlots, this.serviceNames, source, 1023),
        region >= 0 ? this.slot(this.regionSlots, this.regionNames, region, 63) : 0,
        meta,
      );
      p.packed.push(packed);
      const agent = t[o + Col.Agent] as number;
      const extraAt = t[o + Col.Extra] as number;
      const extra = extraAt >= 0 ? (batch.extras[extraAt] as RowExtra) : null;
      const eventName = this.strings[ids[t[o + Col.Name] as number] as number] as string;
      const eventSource = this.strings[source] as string;
      if (agent >= 0) {
        inc(p.agents, agent);
        const resAt = t[o + Col.Res] as number;
        const resources: string[] = [];
        if (resAt >= 0) {
          const count = batch.res[resAt] as number;
          for (let k = 1; k <= count; k++) resources.push(this.strings[ids[batch.res[resAt + k] as number] as number] as string);
        }
        this.agents[agent]?.add(
          packed,
          eventSource,
          region >= 0 ? (this.strings[region] as string) : null,
          (flags & Flag.Write) !== 0,
          (flags & Flag.Destructive) !== 0,
          (flags & Flag.Error) !== 0,
          p.key,
          eventName,
          resources,
          extra ? { ...extra, timeMs, subSecond } : null,
        );
      }
      if (flags & Flag.HighRisk && extra) {
        p.highRisk++;
        if (flags & Flag.Error) p.highRiskFailed++;
        this.hits.push({ principal: p, eventSource, eventName, timeSec, timeMs, subSecond, agent, extra });
      }
    }
  }

  private principalSummary(p: PrincipalAggregate): PrincipalSummary {
    const { sorted, cadence: result } = p.analysed();
    const cadence = result.cadence;
    const name = (id: number) => this.strings[id] as string;
    const userAgents: UserAgentCount[] = [...p.userAgents.entries()]
      .sort((a, b) => b[1] - a[1] || name(a[0]).localeCompare(name(b[0])))
      .slice(0, 5)
      .map(([id, calls]) => ({ userAgent: name(id), calls, kind: userAgentKind(name(id)) }));
    const agentIdentities = [...p.agents.keys()].map((i) => this.agentIdentities[i] as string);
    const sdkShare = p.calls ? Math.round((p.sdk / p.calls) * 1000) / 1000 : 0;
    const reasons: string[] = [];
    // Cadence decides automation; an SDK or CLI user agent only supports it (a person at a terminal uses aws-cli too).
    // AWS services calling for the account are a class of their own, never "automation" of the account's making.
    if (!agentIdentities.length && !isAwsService(p.type, userAgents) && (cadence.verdict === 'machine' || cadence.verdict === 'mixed')) {
      reasons.push(...cadence.reasons);
      if (p.calls >= MIN_CALLS_FOR_AUTOMATION && sdkShare >= SDK_SHARE_FOR_AUTOMATION) {
        reasons.push(`${Math.round(sdkShare * 100)}% of ${p.calls} calls from SDK, CLI or infrastructure-as-code user agents (${userAgents[0]?.userAgent ?? ''})`);
      }
    }
    return {
      principalArn: p.key,
      type: p.type,
      label: p.label,
      accountId: p.accountId,
      agent: agentIdentities.length > 0,
      agentIdentities,
      calls: p.calls,
      errors: p.errors,
      readOnly: p.readOnly,
      writes: p.writes,
      highRisk: p.highRisk,
      highRiskFailed: p.highRiskFailed,
      services: [...p.services.entries()].sort((a, b) => b[1] - a[1] || name(a[0]).localeCompare(name(b[0]))).map(([id, calls]) => ({ service: name(id), calls })),
      regions: [...p.regions.entries()].sort((a, b) => b[1] - a[1] || name(a[0]).localeCompare(name(b[0]))).map(([id, calls]) => ({ region: name(id), calls })),
      firstSeen: sorted.length ? isoOfSec(timeOf(sorted.first() as number)) : null,
      lastSeen: sorted.length ? isoOfSec(timeOf(sorted.last() as number)) : null,
      userAgents,
      sdkShare,
      cadence,
      automation: { likely: reasons.length > 0, reasons },
    };
  }

  private highRiskEvents(): HighRiskEvent[] {
    const rules = new Map(this.table.rules.map((r) => [r.id, r]));
    // CloudTrail times have whole seconds and export files are not in time order: calls in one second keep the order
    // they were read in and are marked simultaneous, never put in an invented (alphabetical) order. Sub-second times
    // (Azure, GCP) decide the order within a second, whatever order the files were read in.
    const drafts = [...this.hits].sort((a, b) => a.timeMs - b.timeMs);
    const sameSecond = (i: number, j: number) => drafts[j] !== undefined && simultaneousCalls(drafts[j] as HitDraft, drafts[i] as HitDraft);
    const seenFirst = new Set<string>();
    return drafts.map((h, i) => {
      const matched = (h.extra.rules ?? []).map((id) => rules.get(id)).filter((r) => r !== undefined);
      const firstKey = `${h.principal.key} ${h.eventSource} ${h.eventName}`;
      const firstTime = !seenFirst.has(firstKey);
      seenFirst.add(firstKey);
      return {
        eventID: h.extra.eventID,
        eventTime: h.extra.eventTime,
        eventSource: h.eventSource,
        eventName: h.eventName,
        awsRegion: h.extra.awsRegion,
        principalArn: h.principal.key,
        principalType: h.extra.principalType,
        agent: h.agent >= 0,
        agentIdentity: h.agent >= 0 ? (this.agentIdentities[h.agent] ?? null) : null,
        errorCode: h.extra.errorCode,
        errorMessage: h.extra.errorMessage,
        attack: attackOf(matched),
        rules: matched.map(ruleRef),
        resources: h.extra.resources,
        sourceIPAddress: h.extra.sourceIPAddress,
        userAgent: h.extra.userAgent,
        burst: inRanges(h.principal.analysed().cadence.machineRanges, h.timeSec),
        firstTime,
        simultaneous: sameSecond(i, i - 1) || sameSecond(i, i + 1),
      };
    });
  }

  report(fileResults: ScanFileResult[], eventVersions: Record<string, number>): ScanReport {
    const highRisk = this.highRiskEvents();
    const byPrincipal: Record<string, PrincipalSummary> = {};
    const ordered = [...this.principals.values()].sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key));
    for (const p of ordered) byPrincipal[p.key] = this.principalSummary(p);
    const failed = highRisk.filter((h) => h.errorCode !== null).length;
    const cards = agentCards(this.agents.map((a) => a.report(this.serviceNames, this.regionNames)));
    return {
      records: this.records,
      duplicates: this.duplicates,
      files: fileResults.filter((f) => f.status !== 'skipped').length,
      highRisk,
      byPrincipal,
      highRiskSucceeded: highRisk.length - failed,
      highRiskFailed: failed,
      agents: cards.agents,
      unmatchedAgents: cards.unmatchedAgents,
      automation: Object.values(byPrincipal)
        .filter((p) => p.automation.likely)
        .map((p) => p.principalArn),
      firstEventTime: Number.isFinite(this.minTime) ? isoOfSec(this.minTime) : null,
      lastEventTime: Number.isFinite(this.maxTime) ? isoOfSec(this.maxTime) : null,
      errors: fileResults.filter((f) => f.status === 'failed' || f.status === 'partial'),
      fileResults,
      eventVersions,
    };
  }

  /** The machine-speed bursts of each principal, as [startSec, endSec] ranges (after report()). */
  machineRanges(): Map<string, Array<[number, number]>> {
    const out = new Map<string, Array<[number, number]>>();
    for (const p of this.principals.values()) {
      const ranges = p.analysed().cadence.machineRanges;
      if (ranges.length) out.set(p.key, ranges);
    }
    return out;
  }

  /** Approximate bytes held by the analysis state (for the benchmark's memory column). */
  get stateBytes(): number {
    let n = this.seen.bytes;
    for (const p of this.principals.values()) n += p.packed.bytes;
    return n;
  }
}
