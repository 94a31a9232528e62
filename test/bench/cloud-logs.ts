// Azure and GCP scans (issue 16): `firebreak logs scan` over 400,000 generated records of each cloud (hourly JSON-lines
// files as the storage exports write them, gzip), against `zcat` and a `jq` filter for destructive operations over the
// same files, in the same run; peak memory of our process (target < 300 MB).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GCP_AGENT, AZURE_AGENT_APPID, generateCloudCorpus } from '../helpers/cloud-logs-corpus';
import { timed } from './timed';
import type { Bench, BenchRow } from './types';

const root = resolve(import.meta.dirname, '..', '..');
const JQ = {
  azure: 'select(.operationName | test("DELETE"; "i"))',
  gcp: 'select(.protoPayload.methodName | test("delete"; "i"))',
};

export const benchCloudLogs: Bench = async ({ quick, workDir, log }) => {
  const records = quick ? 40_000 : 400_000;
  const rows: BenchRow[] = [];
  const haveJq = spawnSync('jq', ['--version']).status === 0;
  for (const cloud of ['azure', 'gcp'] as const) {
    const dir = join(workDir, cloud);
    log(`generating ${records.toLocaleString('en-US')} ${cloud} records...`);
    const corpus = generateCloudCorpus(cloud, dir, records);
    // The exports as they are fetched: gzip files.
    const files = corpus.files.map((f) => {
      writeFileSync(`${f}.gz`, gzipSync(readFileSync(f), { level: 6 }));
      rmSync(f);
      return `${f}.gz`;
    });
    const list = join(workDir, `${cloud}.list`);
    writeFileSync(list, `${files.join('\0')}\0`);
    const sh = (p: string) => timed('sh', ['-c', p]);
    await sh(`xargs -0 cat < '${list}' > /dev/null`);
    const zcat = await sh(`xargs -0 zcat < '${list}' > /dev/null`);
    const agent = cloud === 'azure' ? AZURE_AGENT_APPID : GCP_AGENT;
    const ours = await timed(process.execPath, [join(root, 'bin', 'firebreak.js'), 'logs', 'scan', dir, '--agent', agent, '--json']);
    const report = JSON.parse(ours.stdout) as { records: number; byCloud: Record<string, number> };
    if (report.records !== records || report.byCloud[cloud] !== corpus.operations) {
      throw new Error(`${cloud}: the scan found ${report.records} records and ${report.byCloud[cloud]} operations; the corpus has ${records} and ${corpus.operations}`);
    }
    log(`${cloud}: logs scan ${ours.seconds.toFixed(2)} s (peak ${ours.peakMb?.toFixed(0) ?? '?'} MB), zcat ${zcat.seconds.toFixed(2)} s`);
    const jq = haveJq ? await sh(`xargs -0 zcat < '${list}' | jq -c '${JQ[cloud]}' > /dev/null`) : null;
    if (jq) log(`${cloud}: zcat | jq ${jq.seconds.toFixed(2)} s`);
    const name = `logs scan ${cloud} ${records.toLocaleString('en-US')} records`;
    const input = `${files.length} gzip JSON-lines files, ${corpus.operations.toLocaleString('en-US')} operations`;
    const peak = ours.peakMb !== null ? { peakMb: ours.peakMb } : {};
    rows.push({ name, input, oursSeconds: ours.seconds, reference: `zcat FILES | jq -c '${JQ[cloud]}'`, referenceSeconds: jq?.seconds ?? null, ...peak, note: 'pairing, dedup, high-risk table, cadence per caller; process start included' });
    rows.push({ name, input, oursSeconds: ours.seconds, reference: 'zcat FILES > /dev/null', referenceSeconds: zcat.seconds, ...peak, note: 'peak = VmHWM of the scan process, target < 300 MB' });
  }
  return rows;
};
