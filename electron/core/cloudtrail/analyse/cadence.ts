import type { Burst, Cadence } from '../../../shared/cloudtrail';
import { isoOfSec } from '../import/normalize';
import { type SortedCursor, SortedValues } from './growable';

/**
 * Calls are kept as one float each: the time in whole seconds (CloudTrail's resolution) times 2^20, plus 20 bits of
 * what cadence and movement need (service slot, region slot, four flags). A plain numeric sort then orders them by
 * time, with no index arrays or comparators, which is what keeps a million calls per principal cheap.
 */
export const PACK = 1048576;
export const MAX_SERVICE_SLOT = 1023;
export const MAX_REGION_SLOT = 63;

export const enum Meta {
  Write = 1,
  Error = 2,
  Console = 4,
  HighRisk = 8,
}

export const pack = (timeSec: number, serviceSlot: number, regionSlot: number, meta: number): number =>
  timeSec * PACK + (Math.min(serviceSlot, MAX_SERVICE_SLOT) << 10) + (Math.min(regionSlot, MAX_REGION_SLOT) << 4) + (meta & 15);

export const timeOf = (v: number): number => Math.floor(v / PACK);
export const metaOf = (v: number): number => v - Math.floor(v / PACK) * PACK;
export const serviceSlotOf = (m: number): number => m >>> 10;
export const regionSlotOf = (m: number): number => (m >>> 4) & 63;

/** Burst: consecutive calls at most this many seconds apart... */
export const BURST_GAP_SECONDS = 1;
/** ...at least this many of them. Five calls with no gap over a second is beyond anyone typing commands. */
export const BURST_MIN_CALLS = 5;
const HISTOGRAM_BOUNDS = [0, 1, 2, 5, 10, 30, 60, 300, 900, 3600];
const MAX_BURSTS_LISTED = 20;

export interface CadenceResult {
  cadence: Cadence;
  /** [startSec, endSec] of every machine-speed burst, in time order. */
  machineRanges: Array<[number, number]>;
}

/** Gaps below this many seconds are counted in an array; the rare longer ones are kept and sorted. */
const COUNTED_GAPS = 4096;
/** The histogram bucket of each counted gap: the first bound it does not exceed (the last bucket past them all). */
const BUCKET_OF = Uint8Array.from({ length: COUNTED_GAPS }, (_, g) => {
  const b = HISTOGRAM_BOUNDS.findIndex((bound) => g <= bound);
  return b < 0 ? HISTOGRAM_BOUNDS.length : b;
});

/**
 * The gaps between consecutive calls, as counts: calls are whole seconds apart (or 0), so counting them takes one pass
 * where sorting them for the percentiles took n log n, and the report waits for it after the last file is read.
 */
class Gaps {
  readonly counted = new Uint32Array(COUNTED_GAPS);
  readonly longer: number[] = [];
  private longerSorted = true;
  n = 0;

  add(g: number): void {
    this.n++;
    if (g < COUNTED_GAPS) this.counted[g] = (this.counted[g] as number) + 1;
    else {
      this.longer.push(g);
      this.longerSorted = false;
    }
  }

  /** The gap at index floor(q * (n - 1)) of the gaps in ascending order; null when there are none. */
  percentile(q: number): number | null {
    if (this.n === 0) return null;
    let k = Math.min(this.n - 1, Math.floor(q * (this.n - 1)));
    for (let g = 0; g < COUNTED_GAPS; g++) {
      const c = this.counted[g] as number;
      if (k < c) return g;
      k -= c;
    }
    if (!this.longerSorted) {
      this.longer.sort((a, b) => a - b);
      this.longerSorted = true;
    }
    return this.longer[k] as number;
  }

  histogram(): number[] {
    const counts = new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0);
    for (let g = 0; g < COUNTED_GAPS; g++) {
      const b = BUCKET_OF[g] as number;
      counts[b] = (counts[b] as number) + (this.counted[g] as number);
    }
    // Past the counted ones, every gap is over the last bound (3,600 s).
    counts[HISTOGRAM_BOUNDS.length] = (counts[HISTOGRAM_BOUNDS.length] as number) + this.longer.length;
    return counts;
  }
}

/**
 * The bursts of one principal, found in the same pass that counts the gaps: each call's flags and service are added to
 * the run of calls it belongs to, and a gap over BURST_GAP_SECONDS closes the run (a burst when it is long enough).
 */
class Bursts {
  readonly list: Burst[] = [];
  readonly machineRanges: Array<[number, number]> = [];
  inMachine = 0;
  machineWrites = 0;
  private writes = 0;
  private consoleCalls = 0;
  /** The service slots the run touched: marks, cleared through the list when the run closes. */
  private readonly serviceSeen = new Uint8Array(MAX_SERVICE_SLOT + 1);
  private readonly services: number[] = [];

  add(meta: number): void {
    if (meta & Meta.Write) this.writes++;
    if (meta & Meta.Console) this.consoleCalls++;
    const slot = serviceSlotOf(meta);
    if (!this.serviceSeen[slot]) {
      this.serviceSeen[slot] = 1;
      this.services.push(slot);
    }
  }

  /** Ends the run of `size` calls from t0 to t1 (seconds). */
  close(size: number, t0: number, t1: number): void {
    if (size >= BURST_MIN_CALLS) {
      const isConsole = this.consoleCalls * 2 >= size;
      this.list.push({
        start: isoOfSec(t0),
        end: isoOfSec(t1),
        calls: size,
        writes: this.writes,
        services: this.services.length,
        rate: Math.round((size / (t1 - t0 + 1)) * 100) / 100,
        console: isConsole,
        machine: !isConsole,
      });
      if (!isConsole) {
        this.inMachine += size;
        this.machineWrites += this.writes;
        this.machineRanges.push([t0, t1]);
      }
    }
    this.writes = 0;
    this.consoleCalls = 0;
    for (const slot of this.services) this.serviceSeen[slot] = 0;
    this.services.length = 0;
  }
}

/** Inter-call intervals and bursts of one principal (or one agent): its packed calls, read in ascending order. */
export function cadenceOf(sorted: SortedValues | Float64Array): CadenceResult {
  const calls = sorted instanceof SortedValues ? sorted : SortedValues.of(sorted);
  const n = calls.length;
  const gaps = new Gaps();
  const runs = new Bursts();
  // One run is read directly: a report runs once, before V8 would have optimised the calls to a cursor.
  const single = calls.single();
  const cursor = single === null ? calls.cursor() : null;
  // One pass: each gap is counted, and a gap over BURST_GAP_SECONDS closes the run of calls before it.
  let start = 0;
  let startSec = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = single !== null ? (single[i] as number) : (cursor as SortedCursor).next();
    const t = timeOf(v);
    if (i === 0) startSec = t;
    else {
      const g = t - prev;
      gaps.add(g);
      if (g > BURST_GAP_SECONDS) {
        runs.close(i - start, startSec, prev);
        start = i;
        startSec = t;
      }
    }
    runs.add(v - t * PACK);
    prev = t;
  }
  if (n) runs.close(n - start, startSec, prev);
  const { list: bursts, machineRanges, inMachine, machineWrites } = runs;
  const subSecond = (gaps.counted[0] as number) + (gaps.counted[1] as number);
  const counts = gaps.histogram();
  const machineBursts = machineRanges.length;
  bursts.sort((a, b) => b.calls - a.calls || a.start.localeCompare(b.start));

  const median = gaps.percentile(0.5);
  const reasons: string[] = [];
  let verdict: Cadence['verdict'];
  if (n < BURST_MIN_CALLS) {
    verdict = 'insufficient';
    reasons.push(`only ${n} call${n === 1 ? '' : 's'}: too few to judge the cadence`);
  } else if (inMachine * 2 >= n) {
    verdict = 'machine';
    reasons.push(
      `${Math.round((inMachine / n) * 100)}% of calls in ${machineBursts} machine-speed burst${machineBursts === 1 ? '' : 's'} ` +
        `(${BURST_MIN_CALLS}+ calls at most ${BURST_GAP_SECONDS} s apart, not from the console)`,
    );
    if (machineWrites) reasons.push(`${machineWrites} write calls made at machine speed`);
  } else if (machineBursts > 0) {
    verdict = 'mixed';
    reasons.push(`${machineBursts} machine-speed burst${machineBursts === 1 ? '' : 's'} (${inMachine} calls) among slower activity`);
    if (machineWrites) reasons.push(`${machineWrites} write calls made at machine speed`);
  } else {
    verdict = 'human-paced';
    reasons.push(`no machine-speed bursts; median gap ${median ?? 0} s`);
  }
  return {
    cadence: {
      calls: n,
      medianIntervalSeconds: median,
      p10IntervalSeconds: gaps.percentile(0.1),
      p90IntervalSeconds: gaps.percentile(0.9),
      subSecondShare: n > 1 ? Math.round((subSecond / (n - 1)) * 1000) / 1000 : 0,
      histogram: { boundsSeconds: HISTOGRAM_BOUNDS, counts },
      bursts: bursts.slice(0, MAX_BURSTS_LISTED),
      machineBursts,
      callsInMachineBursts: inMachine,
      verdict,
      reasons,
    },
    machineRanges,
  };
}

/** Whether a time falls inside one of the (sorted) machine-speed ranges. */
export function inRanges(ranges: ReadonlyArray<[number, number]>, sec: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as [number, number];
    if (sec < r[0]) hi = mid - 1;
    else if (sec > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Two calls in one second are simultaneous unless both times have sub-second resolution (Azure, GCP, an agent trace)
 * and differ: CloudTrail's whole seconds and its export files' order say nothing about which came first.
 */
export const simultaneousCalls = (a: { timeMs: number; subSecond: boolean }, b: { timeMs: number; subSecond: boolean }): boolean =>
  Math.floor(a.timeMs / 1000) === Math.floor(b.timeMs / 1000) && (!a.subSecond || !b.subSecond || a.timeMs === b.timeMs);
