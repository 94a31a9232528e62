/**
 * Evidence intake against the tools a responder would otherwise use, on the same file in the same run:
 * a 2 GiB file (hash + copy + fsync) against `openssl dgst -sha256` and `sha256sum`, and 10,000 files of 4 KiB.
 * Our side runs in a child process, as `firebreak evidence add` would, so its peak memory is its own.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRandomFile } from './files';
import type { Bench, BenchRow } from './types';

const CHILD_FLAG = '--evidence-bench-child';
const HERE = fileURLToPath(import.meta.url);
const REPO = join(HERE, '..', '..', '..');
const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;

interface ChildResult {
  seconds: number;
  items: number;
  sha256: string;
  peakMb: number;
}

function timed(cmd: string, args: string[]): { seconds: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { maxBuffer: 64 * MiB });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString() ?? r.error?.message}`);
  return { seconds, stdout: r.stdout.toString() };
}

/** Runs one intake in a fresh data directory in a child process; the data directory is removed afterwards. */
function runChild(workDir: string, mode: 'file' | 'dir', target: string): ChildResult {
  const dataDir = mkdtempSync(join(workDir, 'data-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', HERE, CHILD_FLAG, mode, dataDir, target], {
      cwd: REPO,
      maxBuffer: 16 * MiB,
      env: { ...process.env, FIREBREAK_ACTOR: 'bench' },
    });
    if (r.status !== 0) throw new Error(`intake child failed: ${r.stderr.toString()}`);
    return JSON.parse(r.stdout.toString().trim().split('\n').at(-1) as string) as ChildResult;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

export const benchEvidence: Bench = async (o) => {
  const size = o.quick ? 64 * MiB : 2 * GiB;
  const count = o.quick ? 500 : 10_000;
  const rounds = o.quick ? 1 : 3;
  const label = o.quick ? '64 MiB' : '2 GiB';
  const big = join(o.workDir, 'evidence-intake.bin');
  o.log(`evidence: writing a ${label} random file`);
  writeRandomFile(big, size);
  timed('openssl', ['dgst', '-sha256', big]); // warm the page cache so every contender reads from memory

  const times = { openssl: [] as number[], sha256sum: [] as number[], ours: [] as number[] };
  let peakMb = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const openssl = timed('openssl', ['dgst', '-sha256', big]);
    const sum = timed('sha256sum', [big]);
    const ours = runChild(o.workDir, 'file', big);
    const expected = sum.stdout.split(' ')[0];
    if (ours.sha256 !== expected) throw new Error(`intake hashed ${ours.sha256}, sha256sum says ${expected}`);
    times.openssl.push(openssl.seconds);
    times.sha256sum.push(sum.seconds);
    times.ours.push(ours.seconds);
    peakMb = Math.max(peakMb, ours.peakMb);
    o.log(`evidence: round ${round}: intake ${ours.seconds.toFixed(2)} s, openssl ${openssl.seconds.toFixed(2)} s, sha256sum ${sum.seconds.toFixed(2)} s, peak ${ours.peakMb} MB`);
  }
  rmSync(big, { force: true });
  const ours = median(times.ours);
  const openssl = median(times.openssl);
  const sha256sum = median(times.sha256sum);

  const dir = join(o.workDir, 'evidence-small');
  mkdirSync(dir);
  o.log(`evidence: writing ${fmt(count)} files of 4 KiB`);
  const block = Buffer.allocUnsafe(4096);
  for (let i = 0; i < count; i += 1) writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.bin`), randomFillSync(block));
  const small = runChild(o.workDir, 'dir', dir);
  rmSync(dir, { recursive: true, force: true });
  const perSecond = small.items / small.seconds;
  o.log(`evidence: ${fmt(count)} small files in ${small.seconds.toFixed(2)} s (${fmt(perSecond)} items/s), peak ${small.peakMb} MB`);

  const name = `evidence intake ${label} (hash + copy + fsync)`;
  const input = `${label} random file, median of ${rounds}`;
  const rows: BenchRow[] = [
    { name, input, oursSeconds: ours, reference: 'openssl dgst -sha256', referenceSeconds: openssl, target: '<= 1.5x', peakMb, note: `${(ours / openssl).toFixed(2)}x openssl; peak memory target < 200 MB` },
    { name, input, oursSeconds: ours, reference: 'sha256sum', referenceSeconds: sha256sum, target: '< 1x', peakMb, note: `${(ours / sha256sum).toFixed(2)}x sha256sum` },
    {
      name: `evidence intake ${fmt(count)} x 4 KiB`,
      input: `${fmt(count)} files of 4 KiB`,
      oursSeconds: small.seconds,
      reference: null,
      referenceSeconds: null,
      peakMb: small.peakMb,
      note: `${fmt(perSecond)} items/s`,
    },
  ];
  return rows;
};

/** The child: one intake, timed from the first byte read to the commit, then its own peak memory. */
async function child(mode: string, dataDir: string, target: string): Promise<void> {
  const { openCore } = await import('../../electron/core/core');
  const { intakeFile, intakeFiles } = await import('../../electron/core/evidence/intake');
  const { seedIncident } = await import('../unit/evidence/fixtures');
  const core = openCore({ dataDir, resourcesDir: REPO, mode: 'cli', version: 'bench', operator: { name: 'bench', role: 'IR lead' } });
  const incidentId = seedIncident(core.context);
  const actor = core.context.human();
  const paths = mode === 'dir' ? readdirSync(target).map((n) => join(target, n)) : [target];
  const t = performance.now();
  const items =
    mode === 'dir'
      ? await intakeFiles(core.context, actor, paths, { incidentId, sourceKind: 'file' })
      : [await intakeFile(core.context, actor, target, { incidentId, sourceKind: 'file' })];
  const seconds = (performance.now() - t) / 1000;
  core.close();
  const result: ChildResult = {
    seconds,
    items: items.length,
    sha256: items[0]?.sha256 ?? '',
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[2] === CHILD_FLAG) {
  await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string);
}
