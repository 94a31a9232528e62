import type { BlastRadius, FirstDestructive, MovementWindow, ResourceTouch, ServiceTouch } from '../../../shared/cloudtrail';
import { isoOfSec, serviceOf } from '../import/normalize';
import { cadenceOf, metaOf, regionSlotOf, serviceSlotOf, simultaneousCalls, timeOf } from './cadence';
import { FingerprintSet, fingerprint } from './fingerprint';
import { GrowableFloat64, type SortedCursor, SortedValues } from './growable';

/** Movement: within this many seconds... */
export const MOVEMENT_WINDOW_SECONDS = 300;
/** ...this many distinct services, or this many regions. */
export const MOVEMENT_MIN_SERVICES = 3;
export const MOVEMENT_MIN_REGIONS = 2;
const MAX_RESOURCES = 2000;
const MAX_MOVEMENT_LISTED = 10;

/** What is known of an agent's destructive call (for first-time operations). */
export interface CallDetail {
  eventID: string;
  eventTime: string;
  errorCode: string | null;
  /** Milliseconds; they order calls within one second only where the source has them (subSecond). */
  timeMs: number;
  subSecond: boolean;
}

type First = FirstDestructive & { timeMs: number; subSecond: boolean };



/** Everything one agent identity did, accumulated call by call in bounded memory. */
export class AgentAggregate {
  private principals = new Set<string>();
  private services = new Map<string, ServiceTouch>();
  private regions = new Map<string, number>();
  private resources = new Map<string, ResourceTouch>();
  private overflow = new FingerprintSet(1 << 8);
  private first = new Map<string, First>();
  private calls = new GrowableFloat64();

  constructor(readonly identity: string) {}

  add(
    packed: number,
    eventSource: string,
    region: string | null,
    write: boolean,
    destructive: boolean,
    error: boolean,
    principal: string,
    eventName: string,
    resources: readonly string[],
    detail: CallDetail | null,
  ): void {
    this.principals.add(principal);
    this.calls.push(packed);
    let s = this.services.get(eventSource);
    const service = s?.service ?? serviceOf(eventSource);
    if (!s) this.services.set(eventSource, (s = { service, calls: 0, writes: 0, destructive: 0, errors: 0 }));
    s.calls++;
    if (write) s.writes++;
    if (destructive) s.destructive++;
    if (error) s.errors++;
    if (region) this.regions.set(region, (this.regions.get(region) ?? 0) + 1);
    for (const r of resources) {
      let t = this.resources.get(r);
      if (!t) {
        if (this.resources.size >= MAX_RESOURCES) {
          const [hi, lo] = fingerprint(r);
          this.overflow.add(hi, lo);
          continue;
        }
        this.resources.set(r, (t = { resource: r, service, calls: 0, destructive: 0 }));
      }
      t.calls++;
      if (destructive) t.destructive++;
    }
    if (destructive && detail) {
      // The first time the agent made this call in the window: earliest by time, at the resolution the source has;
      // within one CloudTrail second the first one read stands (the other is simultaneous, never ordered by its id).
      const key = `${eventSource} ${eventName}`;
      const prev = this.first.get(key);
      if (!prev || (!simultaneousCalls(detail, prev) && detail.timeMs < prev.timeMs)) {
        this.first.set(key, {
          timeMs: detail.timeMs,
          subSecond: detail.subSecond,
          simultaneous: false,
          eventID: detail.eventID,
          eventTime: detail.eventTime,
          eventSource,
          eventName,
          errorCode: detail.errorCode,
          resources: [...resources],
          principalArn: principal,
        });
      }
    }
  }

  report(serviceNames: readonly string[], regionNames: readonly string[]): BlastRadius {
    const calls = this.calls.sorted();
    const { cadence } = cadenceOf(calls);
    return {
      agentIdentity: this.identity,
      principals: [...this.principals].sort(),
      calls: calls.length,
      services: [...this.services.values()].sort((a, b) => b.destructive - a.destructive || b.calls - a.calls || a.service.localeCompare(b.service)),
      regions: [...this.regions.entries()].map(([region, n]) => ({ region, calls: n })).sort((a, b) => b.calls - a.calls || a.region.localeCompare(b.region)),
      resources: [...this.resources.values()].sort((a, b) => b.destructive - a.destructive || b.calls - a.calls || a.resource.localeCompare(b.resource)),
      resourcesNotListed: this.overflow.size,
      firstDestructive: firstInOrder([...this.first.values()]),
      movement: movementWindows(calls, serviceNames, regionNames),
      cadence,
    };
  }
}

/**
 * The agent's first destructive calls in time order. Calls whose times cannot tell which came first (one CloudTrail
 * second) keep the order they were read in and are marked simultaneous; sub-second times (Azure, GCP) decide.
 */
function firstInOrder(list: First[]): FirstDestructive[] {
  // Whole-second times sit at the start of their second; a stable sort keeps the reading order among equal times.
  const sorted = list.sort((a, b) => a.timeMs - b.timeMs);
  return sorted.map(({ timeMs: _t, subSecond: _s, ...f }, i) => {
    const prev = sorted[i - 1];
    const next = sorted[i + 1];
    const x = sorted[i] as First;
    return { ...f, simultaneous: (prev !== undefined && simultaneousCalls(prev, x)) || (next !== undefined && simultaneousCalls(x, next)) };
  });
}

/**
 * Short windows in which the calls crossed several services or regions (sliding window, overlapping windows merged).
 * `calls` are packed, read in ascending order by two cursors (the window's two ends) and a third for the windows'
 * services and regions; slot names turn the packed slots back into service and region names.
 */
export function movementWindows(sorted: SortedValues | Float64Array, serviceNames: readonly string[], regionNames: readonly string[]): MovementWindow[] {
  const calls = sorted instanceof SortedValues ? sorted : SortedValues.of(sorted);
  const n = calls.length;
  const svc = new Int32Array(1024);
  const reg = new Int32Array(64);
  let distinctSvc = 0;
  let distinctReg = 0;
  const ranges: Array<[number, number]> = [];
  // One run is read directly (a report runs once, before V8 would have optimised the calls to a cursor).
  const single = calls.single();
  const right = single === null ? calls.cursor() : null;
  const left = single === null ? calls.cursor() : null;
  // The call at l: the window's oldest (l never passes r, which is always in its own window).
  let atLeft = n === 0 ? 0 : single !== null ? (single[0] as number) : (left as SortedCursor).next();
  let l = 0;
  for (let r = 0; r < n; r++) {
    const v = single !== null ? (single[r] as number) : (right as SortedCursor).next();
    const m = metaOf(v);
    const ss = serviceSlotOf(m);
    if ((svc[ss] = (svc[ss] as number) + 1) === 1) distinctSvc++;
    const rs = regionSlotOf(m);
    if (rs > 0 && (reg[rs] = (reg[rs] as number) + 1) === 1) distinctReg++;
    const tr = timeOf(v);
    while (tr - timeOf(atLeft) > MOVEMENT_WINDOW_SECONDS) {
      const ml = metaOf(atLeft);
      const sl = serviceSlotOf(ml);
      if ((svc[sl] = (svc[sl] as number) - 1) === 0) distinctSvc--;
      const rl = regionSlotOf(ml);
      if (rl > 0 && (reg[rl] = (reg[rl] as number) - 1) === 0) distinctReg--;
      l++;
      atLeft = single !== null ? (single[l] as number) : (left as SortedCursor).next();
    }
    if (distinctSvc >= MOVEMENT_MIN_SERVICES || distinctReg >= MOVEMENT_MIN_REGIONS) {
      const last = ranges[ranges.length - 1];
      if (last && l <= last[1]) last[1] = r;
      else ranges.push([l, r]);
    }
  }
  // The ranges are disjoint and in order: one more pass reads the calls of each.
  const walk = single === null ? calls.cursor() : null;
  let at = 0;
  const windows = ranges.map(([s, e]): MovementWindow & { weight: number } => {
    for (; at < s; at++) walk?.next();
    const services = new Set<string>();
    const regions = new Set<string>();
    let first = 0;
    let last = 0;
    for (; at <= e; at++) {
      const v = single !== null ? (single[at] as number) : (walk as SortedCursor).next();
      if (at === s) first = v;
      last = v;
      const m = metaOf(v);
      services.add(serviceNames[serviceSlotOf(m)] ?? 'other');
      const rs = regionSlotOf(m);
      if (rs > 0) regions.add(regionNames[rs] ?? 'other');
    }
    return {
      start: isoOfSec(timeOf(first)),
      end: isoOfSec(timeOf(last)),
      calls: e - s + 1,
      services: [...services].sort(),
      regions: [...regions].sort(),
      weight: services.size * 100 + regions.size,
    };
  });
  return windows
    .sort((a, b) => b.weight - a.weight || a.start.localeCompare(b.start))
    .slice(0, MAX_MOVEMENT_LISTED)
    .map(({ weight: _w, ...w }) => w);
}
