// Rows shared by the log-scan benchmarks (cloudtrail.ts, cloud-logs.ts): each scan as a whole process beside `zcat` and
// a `zcat | jq` filter over the same files in the same run, with wall time, CPU time (user + system, every thread and
// child) and peak RSS, because on a shared machine the CPU ratio says more than the wall ratio. Each scan and its zcat
// run in several interleaved rounds; the row gives the medians and the range of the wall ratios.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Run, timed } from './timed';
import type { BenchRow } from './types';

const root = resolve(import.meta.dirname, '..', '..');

export interface ScanInput {
  /** e.g. "CloudTrail 400,000 records". */
  label: string;
  input: string;
  files: string[];
  workDir: string;
  jqFilter: string;
  /** The scans to time: their name and the CLI arguments after `firebreak`. */
  scans: Array<{ name: string; args: string[]; check(stdout: string): void }>;
  log(line: string): void;
}

const cpuOf = (r: Run) => (r.cpuSeconds === undefined ? '?' : r.cpuSeconds.toFixed(2));
/** Rounds of each scan and its zcat: FIREBREAK_BENCH_SCAN_ROUNDS, 3 by default (1 with FIREBREAK_BENCH_QUICK=1). */
const SCAN_ROUNDS = Math.max(1, Number(process.env.FIREBREAK_BENCH_SCAN_ROUNDS ?? (process.env.FIREBREAK_BENCH_QUICK === '1' ? 1 : 3)) || 1);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const medianOf = (xs: Array<number | undefined>): number | undefined => (xs.every((x): x is number => x !== undefined) && xs.length ? median(xs) : undefined);
const loadavg = () => spawnSync('cat', ['/proc/loadavg']).stdout?.toString().split(' ').slice(0, 3).join(' ') ?? '?';

export async function scanRows(o: ScanInput): Promise<BenchRow[]> {
  const list = join(o.workDir, `${o.label.replace(/\W+/g, '-')}.list`);
  writeFileSync(list, `${o.files.join('\0')}\0`);
  const sh = (p: string) => timed('sh', ['-c', p]);
  // Warm the page cache so every contender reads from memory.
  await sh(`xargs -0 cat < '${list}' > /dev/null`);
  const rows: BenchRow[] = [];
  const haveJq = spawnSync('jq', ['--version']).status === 0;
  for (const s of o.scans) {
    // The reference right before each scan, so both see about the same load; several rounds, since this machine's
    // speed for several threads drifts more than a single-threaded zcat's. The row gives the medians.
    const pairs: Array<{ zcat: Run; ours: Run; load: string }> = [];
    for (let r = 0; r < SCAN_ROUNDS; r++) {
      const zcat = await sh(`xargs -0 zcat < '${list}' > /dev/null`);
      const load = loadavg();
      const ours = await timed(process.execPath, [join(root, 'bin', 'firebreak.js'), ...s.args]);
      s.check(ours.stdout);
      o.log(`${s.name} ${o.label} (round ${r + 1} of ${SCAN_ROUNDS}): ${ours.seconds.toFixed(2)} s wall, CPU ${cpuOf(ours)} s, peak ${ours.peakMb?.toFixed(0) ?? '?'} MB; zcat ${zcat.seconds.toFixed(2)} s, CPU ${cpuOf(zcat)} s; load ${load}`);
      pairs.push({ zcat, ours, load });
    }
    const ratios = pairs.map((p) => p.ours.seconds / p.zcat.seconds).sort((a, b) => a - b);
    const oursSeconds = median(pairs.map((p) => p.ours.seconds));
    const zcatSeconds = median(pairs.map((p) => p.zcat.seconds));
    const oursCpu = medianOf(pairs.map((p) => p.ours.cpuSeconds));
    const zcatCpu = medianOf(pairs.map((p) => p.zcat.cpuSeconds));
    const peaks = pairs.flatMap((p) => (p.ours.peakMb === null ? [] : [p.ours.peakMb]));
    const cpuRatio = oursCpu !== undefined && zcatCpu ? ` = ${(oursCpu / zcatCpu).toFixed(2)}x` : '';
    const range = pairs.length > 1 ? `wall ratio ${(ratios[0] as number).toFixed(2)}x to ${(ratios[ratios.length - 1] as number).toFixed(2)}x over ${pairs.length} rounds (medians shown); ` : '';
    rows.push({
      name: `${s.name} ${o.label}`,
      input: o.input,
      oursSeconds,
      reference: 'zcat FILES > /dev/null',
      referenceSeconds: zcatSeconds,
      target: '<= 1.5x, < 300 MB',
      ...(peaks.length ? { peakMb: Math.max(...peaks) } : {}),
      note: `${range}CPU ${oursCpu?.toFixed(2) ?? '?'} s vs zcat ${zcatCpu?.toFixed(2) ?? '?'} s${cpuRatio}; load ${pairs.map((p) => p.load.split(' ')[0]).join(', ')}; whole process, peak = all threads (highest round)`,
    });
  }
  if (haveJq) {
    const jq = await sh(`xargs -0 zcat < '${list}' | jq -c '${o.jqFilter}' > /dev/null`);
    o.log(`zcat | jq ${o.label}: ${jq.seconds.toFixed(2)} s, CPU ${cpuOf(jq)} s`);
    const ours = rows[0];
    if (ours) {
      rows.push({
        name: ours.name,
        input: o.input,
        oursSeconds: ours.oursSeconds,
        reference: `zcat FILES | jq -c '${o.jqFilter}'`,
        referenceSeconds: jq.seconds,
        ...(ours.peakMb !== undefined ? { peakMb: ours.peakMb } : {}),
        note: `jq CPU ${cpuOf(jq)} s (both processes)`,
      });
    }
  } else o.log('jq is not installed: no zcat | jq row');
  return rows;
}

/** FIREBREAK_BENCH_LARGE=1 adds the 4,000,000-record runs (growth), which take minutes to generate and scan. */
export const scanSizes = (quick: boolean): number[] => (quick ? [40_000] : process.env.FIREBREAK_BENCH_LARGE === '1' ? [400_000, 4_000_000] : [400_000]);
