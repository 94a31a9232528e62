import type { Burst, Cadence } from '../../../shared/cloudtrail';
import { isoOfSec } from '../import/normalize';

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

const percentile = (sorted: Float64Array, q: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number);

/** Inter-call intervals and bursts of one principal (or one agent). `calls` must be sorted. */
export function cadenceOf(calls: Float64Array): CadenceResult {
  const n = calls.length;
  const counts = new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0);
  const gaps = new Float64Array(Math.max(0, n - 1));
  let subSecond = 0;
  for (let i = 1; i < n; i++) {
    const g = timeOf(calls[i] as number) - timeOf(calls[i - 1] as number);
    gaps[i - 1] = g;
    if (g <= 1) subSecond++;
    let b = 0;
    while (b < HISTOGRAM_BOUNDS.length && g > (HISTOGRAM_BOUNDS[b] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  gaps.sort();

  const bursts: Burst[] = [];
  const machineRanges: Array<[number, number]> = [];
  let inMachine = 0;
  let machineWrites = 0;
  let start = 0;
  const close = (s: number, e: number) => {
    const size = e - s + 1;
    if (size < BURST_MIN_CALLS) return;
    let writes = 0;
    let consoleCalls = 0;
    const services = new Set<number>();
    for (let k = s; k <= e; k++) {
      const m = metaOf(calls[k] as number);
      if (m & Meta.Write) writes++;
      if (m & Meta.Console) consoleCalls++;
      services.add(serviceSlotOf(m));
    }
    const t0 = timeOf(calls[s] as number);
    const t1 = timeOf(calls[e] as number);
    const isConsole = consoleCalls * 2 >= size;
    const burst: Burst = {
      start: isoOfSec(t0),
      end: isoOfSec(t1),
      calls: size,
      writes,
      services: services.size,
      rate: Math.round((size / (t1 - t0 + 1)) * 100) / 100,
      console: isConsole,
      machine: !isConsole,
    };
    if (burst.machine) {
      inMachine += size;
      machineWrites += writes;
      machineRanges.push([t0, t1]);
    }
    bursts.push(burst);
  };
  for (let i = 1; i <= n; i++) {
    if (i === n || timeOf(calls[i] as number) - timeOf(calls[i - 1] as number) > BURST_GAP_SECONDS) {
      close(start, i - 1);
      start = i;
    }
  }
  const machineBursts = machineRanges.length;
  bursts.sort((a, b) => b.calls - a.calls || a.start.localeCompare(b.start));

  const median = percentile(gaps, 0.5);
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
      p10IntervalSeconds: percentile(gaps, 0.1),
      p90IntervalSeconds: percentile(gaps, 0.9),
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
