// `npm run bench`: runs every domain's benchmark and prints one table of our times against the reference tools,
// on the same input in the same run. FIREBREAK_BENCH_QUICK=1 uses small inputs (checks the harness, not for the README).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prebuiltCli } from '../../bin/prebuilt-cli.js';
import { ensureCliBuilt } from '../../scripts/build-cli';
import { REPO } from './processes';
import type { Bench, BenchRow } from './types';

const benches: Array<[string, () => Promise<Bench>]> = [
  ['startup', async () => (await import('./startup')).benchStartup],
  ['evidence', async () => (await import('./evidence')).benchEvidence],
  ['cloudtrail', async () => (await import('./cloudtrail')).benchCloudtrail],
  ['cloud-logs', async () => (await import('./cloud-logs')).benchCloudLogs],
  ['cloudtrail-identities', async () => (await import('./cloudtrail-identities')).benchCloudtrailIdentities],
  ['validation', async () => (await import('./validation')).benchValidation],
  ['diff', async () => (await import('./row-diff')).benchRowDiff],
  ['reports', async () => (await import('./reports')).benchReports],
  ['timeline', async () => (await import('./timeline')).benchTimeline],
  ['ledger', async () => (await import('./ledger')).benchLedger],
];

const fmt = (s: number | null) => (s === null ? '' : s < 10 ? s.toFixed(3) : s.toFixed(1));

export function formatTable(rows: BenchRow[]): string {
  const head = ['benchmark', 'input', 'ours (s)', 'reference', 'ref (s)', 'ratio', 'target', 'peak MB', 'note'];
  const body = rows.map((r) => [
    r.name,
    r.input,
    fmt(r.oursSeconds),
    r.reference ?? '',
    fmt(r.referenceSeconds),
    r.referenceSeconds ? `${(r.oursSeconds / r.referenceSeconds).toFixed(2)}x` : '',
    r.target ?? '',
    r.peakMb === undefined ? '' : String(Math.round(r.peakMb)),
    r.note ?? '',
  ]);
  // A pipe inside a cell (a shell pipeline) would split the Markdown column.
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const quick = process.env.FIREBREAK_BENCH_QUICK === '1';
  const only = process.argv.slice(2);
  // Every whole-process row times `bin/firebreak.js`, which runs the TypeScript sources through tsx when dist/cli/ is
  // older than them: a benchmark run after an edit would time tsx compiling the sources without saying so.
  await ensureCliBuilt();
  if (!prebuiltCli(REPO)) throw new Error('dist/cli/ is not current after `npm run build:cli`: the benchmarks would time the TypeScript sources through tsx');
  const rows: BenchRow[] = [];
  for (const [name, load] of benches) {
    if (only.length && !only.includes(name)) continue;
    const workDir = mkdtempSync(join(tmpdir(), `firebreak-bench-${name}-`));
    try {
      const bench = await load();
      rows.push(...(await bench({ quick, workDir, log: (l) => process.stderr.write(`[${name}] ${l}\n`) })));
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`Firebreak benchmarks, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpu}, Node ${process.version}${quick ? ' (QUICK inputs)' : ''}\n\n`);
  process.stdout.write(rows.length ? `${formatTable(rows)}\n` : 'No benchmark ran.\n');
}

await main();
