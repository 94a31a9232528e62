// Benchmark of issue 20: `firebreak db diff` of two 1,000,000-row PostgreSQL tables (1,000 rows deleted, 1,000 changed)
// against Firebreak's own whole-table compare of the same two databases (`db baseline` of the reference, then
// `db compare` of the actual), all as whole processes, as a user runs them; 10,000,000 rows to show the growth.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDiffResult } from '../../electron/shared/row-diff';
import { cpuSampler } from './server-cpu';
import type { Bench, BenchRow } from './types';
import { PG, pgExec, postgres } from './validation';

/** Diff and compare runs per size, in turns; the median of each is reported. */
const RUNS = Number(process.env.FIREBREAK_BENCH_DIFF_RUNS ?? 3);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'firebreak.js');
const url = (db: string) => `postgres://${PG.user}@${PG.host}:${PG.port}/${db}`;

/** Runs the real executable; wall time and peak resident memory (VmHWM, read from /proc while it runs). */
function firebreak(args: string[], databases: readonly string[]): Promise<{ code: number; stdout: string; seconds: number; cpuSeconds: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const cpu = cpuSampler(databases);
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    cpu.track(child.pid);
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // The process has just ended.
      }
    };
    const timer = setInterval(sample, 25);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpuSeconds = cpu.stop();
      if (code === 2) reject(new Error(`firebreak ${args.join(' ')}: ${stderr}`));
      else resolve({ code: code ?? -1, stdout, seconds, cpuSeconds, peakMb: peakKb / 1024 });
    });
  });
}

async function benchSize(size: number, workDir: string, log: (l: string) => void): Promise<BenchRow> {
  const tag = randomBytes(3).toString('hex');
  const reference = `fb_bench_diff_ref_${size}_${tag}`;
  const actual = `fb_bench_diff_act_${size}_${tag}`;
  await pgExec(PG.admin, `CREATE DATABASE ${reference}`);
  try {
    log(`loading ${size.toLocaleString('en')} rows into ${reference}`);
    // The same table as the baseline + compare bench.
    await postgres.load(reference, size);
    await pgExec(PG.admin, `CREATE DATABASE ${actual} TEMPLATE ${reference}`);
    const step = size / 1000;
    // What an agent did to the actual: 1,000 rows deleted, 1,000 others changed, spread over the whole key range.
    await pgExec(actual, `DELETE FROM bench WHERE id % ${step} = 0; UPDATE bench SET note = 'changed' WHERE id % ${step} = ${step / 2};`);
    await Promise.all([pgExec(reference, 'VACUUM ANALYZE bench'), pgExec(actual, 'VACUUM ANALYZE bench')]);

    const manifest = join(workDir, `baseline-${size}.json`);
    const dbs = [reference, actual];
    const compare = async () => {
      const b = await firebreak(['db', 'baseline', url(reference), '--out', manifest], dbs);
      const c = await firebreak(['db', 'compare', url(actual), '--baseline', manifest, '--json'], dbs);
      if (b.code !== 0 || c.code !== 1) throw new Error(`the whole-table compare did not see the difference (exit ${b.code}, ${c.code})`);
      return { seconds: b.seconds + c.seconds, cpuSeconds: b.cpuSeconds + c.cpuSeconds };
    };
    const diff = () => firebreak(['db', 'diff', url(reference), url(actual), '--keys-out', join(workDir, `keys-${size}`), '--json'], dbs);
    log('warming the cache');
    await compare();
    // Diff and compare in turns, the median of each: the machine is shared, so one run alone says little.
    const diffs: Array<Awaited<ReturnType<typeof diff>>> = [];
    const compares: Array<{ seconds: number; cpuSeconds: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      diffs.push(await diff());
      compares.push(await compare());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const ours = { ...(diffs[0] as Awaited<ReturnType<typeof diff>>), seconds: median(diffs.map((d) => d.seconds)), cpuSeconds: median(diffs.map((d) => d.cpuSeconds)), peakMb: Math.max(...diffs.map((d) => d.peakMb)) };
    const referenceSeconds = median(compares.map((c) => c.seconds));
    const referenceCpu = median(compares.map((c) => c.cpuSeconds));
    const result = JSON.parse(ours.stdout) as RowDiffResult;
    const t = result.tables[0];
    if (ours.code !== 1 || t?.missing !== 1000 || t.changed !== 1000 || t.extra !== 0) {
      throw new Error(`db diff found ${JSON.stringify(t)}; expected 1000 missing, 1000 changed`);
    }
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    log(
      `${size}: diff ${ours.seconds.toFixed(2)} s wall, ${ours.cpuSeconds.toFixed(2)} s CPU (peak ${ours.peakMb.toFixed(0)} MB); baseline + compare ${referenceSeconds.toFixed(2)} s wall, ${referenceCpu.toFixed(2)} s CPU; load ${load}`,
    );
    return {
      name: 'db diff (PostgreSQL)',
      input: `2 x ${size.toLocaleString('en')} rows x 6 columns, 1,000 deleted + 1,000 changed`,
      oursSeconds: ours.seconds,
      reference: 'firebreak db baseline (reference) + db compare (actual)',
      referenceSeconds,
      target: '<= 2x, < 300 MB',
      peakMb: ours.peakMb,
      note: `wall ${(ours.seconds / referenceSeconds).toFixed(2)}x, CPU ${(ours.cpuSeconds / referenceCpu).toFixed(2)}x (${ours.cpuSeconds.toFixed(1)} s against ${referenceCpu.toFixed(1)} s, servers included); median of ${RUNS}; load ${load}; ${t.differingBuckets} of ${t.buckets} buckets read row by row; all 2,000 keys found`,
    };
  } finally {
    await pgExec(PG.admin, `DROP DATABASE IF EXISTS ${actual} WITH (FORCE)`);
    await pgExec(PG.admin, `DROP DATABASE IF EXISTS ${reference} WITH (FORCE)`);
  }
}

export const benchRowDiff: Bench = async ({ quick, workDir, log }) => {
  // FIREBREAK_BENCH_DIFF_10M=1 adds the 10,000,000-row run (several minutes).
  const sizes = quick ? [100_000] : process.env.FIREBREAK_BENCH_DIFF_10M === '1' ? [1_000_000, 10_000_000] : [1_000_000];
  const rows: BenchRow[] = [];
  for (const size of sizes) rows.push(await benchSize(size, workDir, log));
  return rows;
};
