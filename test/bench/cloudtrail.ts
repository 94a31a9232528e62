// CloudTrail scan benchmark: `firebreak cloudtrail scan` (a real process, as a responder runs it) against the seed's
// compensating pipeline `zcat FILES | jq -c '.Records[] | select(...)'` and against plain `zcat FILES > /dev/null`,
// on the same synthetic corpus (1,000,000 records in gzip files; ~50,000 with FIREBREAK_BENCH_QUICK=1), in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AGENT_ROLE_ARN, generateCorpus } from '../helpers/cloudtrail-corpus';
import { type Run, timed } from './timed';
import type { Bench, BenchRow } from './types';

const root = resolve(import.meta.dirname, '..', '..');
const JQ_FILTER = '.Records[] | select(.eventName | test("Delete|Drop|Purge|Terminate|Destroy"))';

function haveJq(log: (l: string) => void): boolean {
  if (spawnSync('jq', ['--version']).status === 0) return true;
  log('jq is missing; trying apt-get install -y jq');
  spawnSync('apt-get', ['install', '-y', 'jq'], { stdio: 'ignore' });
  return spawnSync('jq', ['--version']).status === 0;
}

export const benchCloudtrail: Bench = async ({ quick, workDir, log }) => {
  const records = quick ? 50_000 : 1_000_000;
  log(`generating ${records.toLocaleString('en-US')} records...`);
  const corpus = join(workDir, 'exports');
  const m = generateCorpus({ dir: corpus, records, recordsPerFile: 5000 });
  const list = join(workDir, 'files.list');
  writeFileSync(list, `${m.files.join('\0')}\0`);
  const input = `${m.files.length} gzip files, ${Math.round(m.compressedBytes / 1048576)} MiB (${Math.round(m.bytes / 1048576)} MiB inflated)`;
  const sh = (pipeline: string) => timed('sh', ['-c', pipeline]);

  // Warm the page cache so every contender reads from memory.
  await sh(`xargs -0 cat < '${list}' > /dev/null`);
  const zcat = await sh(`xargs -0 zcat < '${list}' > /dev/null`);
  log(`zcat: ${zcat.seconds.toFixed(2)} s`);
  const ours = await timed(process.execPath, [join(root, 'bin', 'firebreak.js'), 'cloudtrail', 'scan', corpus, '--agent', AGENT_ROLE_ARN, '--json']);
  const report = JSON.parse(ours.stdout) as { records: number; duplicates: number; highRisk: unknown[] };
  if (report.records !== m.records || report.duplicates !== m.duplicates) {
    throw new Error(`the scan found ${report.records} records and ${report.duplicates} duplicates; the corpus has ${m.records} and ${m.duplicates}`);
  }
  log(`firebreak cloudtrail scan: ${ours.seconds.toFixed(2)} s, peak ${ours.peakMb?.toFixed(0) ?? '?'} MB, ${report.highRisk.length} high-risk calls`);
  let jq: Run | null = null;
  if (haveJq(log)) {
    jq = await sh(`xargs -0 zcat < '${list}' | jq -c '${JQ_FILTER}' > /dev/null`);
    log(`zcat | jq: ${jq.seconds.toFixed(2)} s`);
  }
  const rate = `${Math.round(records / ours.seconds).toLocaleString('en-US')} records/s`;
  const name = `cloudtrail scan ${records.toLocaleString('en-US')} records`;
  const rows: BenchRow[] = [
    {
      name,
      input,
      oursSeconds: ours.seconds,
      reference: jq ? "zcat FILES | jq -c '.Records[] | select(.eventName | test(\"Delete|Drop|Purge|Terminate|Destroy\"))'" : 'jq (not installed)',
      referenceSeconds: jq?.seconds ?? null,
      target: '>= 3x faster',
      ...(ours.peakMb !== null ? { peakMb: ours.peakMb } : {}),
      note: `${rate}; full analysis (classification, attribution, cadence, blast radius), process start included`,
    },
    {
      name,
      input,
      oursSeconds: ours.seconds,
      reference: 'zcat FILES > /dev/null',
      referenceSeconds: zcat.seconds,
      target: '<= 2x',
      ...(ours.peakMb !== null ? { peakMb: ours.peakMb } : {}),
      note: existsSync('/proc/self/status') ? 'peak = VmHWM of the scan process (all threads), target < 300 MB' : 'peak memory not measured on this OS',
    },
  ];
  return rows;
};
