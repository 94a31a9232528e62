import { describe, expect, it } from 'vitest';
import { MOVEMENT_MIN_REGIONS, MOVEMENT_MIN_SERVICES, MOVEMENT_WINDOW_SECONDS, movementWindows } from '../../../electron/core/cloudtrail/analyse/blast-radius';
import { BURST_GAP_SECONDS, BURST_MIN_CALLS, Meta, cadenceOf, pack } from '../../../electron/core/cloudtrail/analyse/cadence';
import { GrowableFloat64, SortedValues } from '../../../electron/core/cloudtrail/analyse/growable';

const T0 = 1_773_100_800; // 2026-03-10T00:00:00Z
const BOUNDS = [0, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

/** A seeded generator, so a failure names the case that broke. */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
}

/** The figures cadenceOf reports, worked out the plain way: every gap listed and sorted, every run walked. */
function reference(times: number[], metas: number[]) {
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
  const sorted = [...gaps].sort((a, b) => a - b);
  const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] : null);
  const histogram = new Array<number>(BOUNDS.length + 1).fill(0);
  for (const g of gaps) {
    const b = BOUNDS.findIndex((bound) => g <= bound);
    const at = b < 0 ? BOUNDS.length : b;
    histogram[at] = (histogram[at] as number) + 1;
  }
  const runs: Array<{ calls: number; writes: number; services: number }> = [];
  let start = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i === times.length || (times[i] as number) - (times[i - 1] as number) > BURST_GAP_SECONDS) {
      const m = metas.slice(start, i);
      if (m.length >= BURST_MIN_CALLS) {
        runs.push({ calls: m.length, writes: m.filter((x) => x & Meta.Write).length, services: new Set(m.map((x) => x >>> 10)).size });
      }
      start = i;
    }
  }
  return { median: pct(0.5), p10: pct(0.1), p90: pct(0.9), histogram, subSecond: gaps.filter((g) => g <= 1).length, runs };
}

function calls(times: number[], metas: number[]): Float64Array {
  return Float64Array.from(times, (t, i) => pack(t, (metas[i] as number) >>> 10, ((metas[i] as number) >>> 4) & 63, (metas[i] as number) & 15));
}

describe('cadenceOf', () => {
  it('counts gaps (long ones included) and finds runs exactly as sorting and walking them would', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const n = seed < 6 ? seed - 1 : Math.floor(r() * 3000);
      // Spreads from machine speed to days apart, so gaps land in every bucket and past the counted range.
      const spread = [2, 12, 400, 6000, 200_000][seed % 5] as number;
      const times: number[] = [];
      const metas: number[] = [];
      let t = T0;
      for (let i = 0; i < n; i++) {
        t += r() < 0.6 ? 0 : Math.floor(r() * spread);
        times.push(t);
        metas.push((Math.floor(r() * 40) << 10) | (Math.floor(r() * 3) << 4) | Math.floor(r() * 16));
      }
      const want = reference(times, metas);
      const { cadence } = cadenceOf(calls(times, metas));
      const label = `seed ${seed}, ${n} calls`;
      expect({ median: cadence.medianIntervalSeconds, p10: cadence.p10IntervalSeconds, p90: cadence.p90IntervalSeconds }, label).toEqual({
        median: want.median,
        p10: want.p10,
        p90: want.p90,
      });
      expect(cadence.histogram.counts, label).toEqual(want.histogram);
      expect(cadence.subSecondShare, label).toBe(n > 1 ? Math.round((want.subSecond / (n - 1)) * 1000) / 1000 : 0);
      const listed = [...want.runs].sort((a, b) => b.calls - a.calls).slice(0, 20);
      expect(
        cadence.bursts.map((b) => b.calls),
        label,
      ).toEqual(listed.map((b) => b.calls));
      expect(
        cadence.bursts.reduce((a, b) => a + b.writes + b.services, 0),
        label,
      ).toBe(listed.reduce((a, b) => a + b.writes + b.services, 0));
    }
  });

  it('reads gaps over an hour from the sorted list past the counted ones', () => {
    // 0, 5000 and 90000 s gaps: the median and p90 come from past the counted range.
    const { cadence } = cadenceOf(calls([T0, T0, T0 + 5000, T0 + 95_000], [0, 0, 0, 0]));
    expect(cadence).toMatchObject({ medianIntervalSeconds: 5000, p10IntervalSeconds: 0, p90IntervalSeconds: 5000 });
    expect(cadence.histogram.counts).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  });

  it('counts a burst once per service and closes the last run at the end', () => {
    const times = [T0, T0, T0 + 1, T0 + 1, T0 + 2, T0 + 2];
    const metas = [(3 << 10) | Meta.Write, 3 << 10, 7 << 10, (7 << 10) | Meta.Write, 3 << 10, 9 << 10];
    const { cadence, machineRanges } = cadenceOf(calls(times, metas));
    expect(cadence.bursts).toEqual([
      { start: '2026-03-10T00:00:00Z', end: '2026-03-10T00:00:02Z', calls: 6, writes: 2, services: 3, rate: 2, console: false, machine: true },
    ]);
    expect(machineRanges).toEqual([[T0, T0 + 2]]);
    expect(cadence.verdict).toBe('machine');
  });

  it('has no gaps to report for no calls or one', () => {
    for (const n of [0, 1]) {
      const { cadence } = cadenceOf(calls(new Array<number>(n).fill(T0), new Array<number>(n).fill(0)));
      expect(cadence).toMatchObject({ calls: n, medianIntervalSeconds: null, p10IntervalSeconds: null, p90IntervalSeconds: null, bursts: [], verdict: 'insufficient' });
    }
  });
});

describe('cadence and movement over a long list in sorted chunks', () => {
  const SERVICES = Array.from({ length: 40 }, (_, i) => `svc${i}`);
  const REGIONS = ['(none)', ...Array.from({ length: 20 }, (_, i) => `region-${i}`)];

  const iso = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

  /** Movement windows worked out the plain way: each window's calls counted afresh, ranges merged as they touch. */
  function movementReference(sorted: Float64Array) {
    const t = (v: number) => Math.floor(v / 1048576);
    const metas = (s: number, e: number) => Array.from(sorted.subarray(s, e + 1), (v) => v - t(v) * 1048576);
    const ranges: Array<[number, number]> = [];
    let l = 0;
    for (let r = 0; r < sorted.length; r++) {
      while (t(sorted[r] as number) - t(sorted[l] as number) > MOVEMENT_WINDOW_SECONDS) l++;
      const window = metas(l, r);
      const services = new Set(window.map((m) => m >>> 10)).size;
      const regions = new Set(window.map((m) => (m >>> 4) & 63).filter((x) => x > 0)).size;
      if (services >= MOVEMENT_MIN_SERVICES || regions >= MOVEMENT_MIN_REGIONS) {
        const last = ranges[ranges.length - 1];
        if (last && l <= last[1]) last[1] = r;
        else ranges.push([l, r]);
      }
    }
    return ranges.map(([s, e]) => ({
      start: iso(t(sorted[s] as number)),
      end: iso(t(sorted[e] as number)),
      calls: e - s + 1,
      services: [...new Set(metas(s, e).map((m) => SERVICES[m >>> 10] as string))].sort(),
      regions: [...new Set(metas(s, e).map((m) => (m >>> 4) & 63).filter((x) => x > 0).map((x) => REGIONS[x] as string))].sort(),
    }));
  }

  it('reads calls pushed out of order across many chunks as one sorted list would', () => {
    // 150,000 calls (three chunks, joined when sorted) and 400,000 (seven chunks, merged as they are read), in twenty
    // interleaved files as a scan reads them: each file in time order.
    for (const [seed, perFile, merged] of [
      [3, 7_500, false],
      [11, 20_000, true],
    ] as const) {
      const r = rng(seed);
      const g = new GrowableFloat64();
      const flat: number[] = [];
      for (let file = 0; file < 20; file++) {
        let t = T0 + Math.floor(r() * 600);
        for (let i = 0; i < perFile; i++) {
          t += r() < 0.7 ? 0 : Math.floor(r() * (file % 4 === 0 ? 900 : 40));
          // Mostly one service and region, so movement windows come and go.
          const service = r() < 0.97 ? 0 : Math.floor(r() * 40);
          const region = r() < 0.98 ? 1 : Math.floor(r() * 21);
          const v = pack(t, service, region, Math.floor(r() * 16));
          g.push(v);
          flat.push(v);
        }
      }
      const sorted = Float64Array.from(flat).sort();
      const chunked = g.sorted();
      expect(chunked.single() === null, `seed ${seed}`).toBe(merged);
      expect(cadenceOf(chunked)).toEqual(cadenceOf(sorted));
      const windows = movementWindows(chunked, SERVICES, REGIONS);
      expect(windows.length).toBeGreaterThan(0);
      expect(windows).toEqual(movementWindows(sorted, SERVICES, REGIONS));
    }
  });

  it('finds the movement windows the plain way finds, with their services and regions, from sorted runs', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      let t = T0;
      const n = seed <= 3 ? seed - 1 : seed % 2 ? 60 : 3000;
      const list = Array.from({ length: n }, () => {
        t += r() < 0.5 ? 0 : Math.floor(r() * (n < 100 ? 200 : 60));
        return n < 100 ? pack(t, Math.floor(r() * 3), Math.floor(r() * 3), 0) : pack(t, r() < 0.9 ? 0 : Math.floor(r() * 40), r() < 0.95 ? 1 : Math.floor(r() * 21), 0);
      });
      // The calls interleaved into up to six sorted runs, as files land in a chunk; some runs empty.
      const k = 1 + Math.floor(r() * 6);
      const owner = list.map(() => Math.floor(r() * k));
      const runs = Array.from({ length: k }, (_, j) => Float64Array.from(list.filter((_, i) => owner[i] === j)).sort());
      const want = movementReference(Float64Array.from(list).sort());
      const got = movementWindows(new SortedValues(runs), SERVICES, REGIONS);
      // The ten widest are listed; each is one the plain way found, whole.
      expect(got.length, `seed ${seed}`).toBe(Math.min(10, want.length));
      for (const w of got) expect(want, `seed ${seed}`).toContainEqual(w);
    }
  });
});

