// Azure and GCP scans (issues 16 and 21): `firebreak logs scan` over 400,000 generated records of each cloud in 20
// gzip files (hourly JSON-lines files as the storage exports write them), against `zcat` and a `jq` filter for
// destructive operations over the same files, in the same run; CPU time and peak memory of our process (target
// < 300 MB). FIREBREAK_BENCH_LARGE=1 adds 4,000,000 records in 20 files to show the growth.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AZURE_AGENT_APPID, GCP_AGENT, generateCloudCorpus } from '../helpers/cloud-logs-corpus';
import { scanRows, scanSizes } from './scan-rows';
import type { Bench, BenchRow } from './types';

const JQ = {
  azure: 'select(.operationName | test("DELETE"; "i"))',
  gcp: 'select(.protoPayload.methodName | test("delete"; "i"))',
};
const NAMES = { azure: 'Azure Activity Log', gcp: 'GCP Cloud Audit Logs' };

export const benchCloudLogs: Bench = async ({ quick, workDir, log }) => {
  const rows: BenchRow[] = [];
  for (const records of scanSizes(quick)) {
    for (const cloud of ['azure', 'gcp'] as const) {
      const dir = join(workDir, `${cloud}-${records}`);
      log(`generating ${records.toLocaleString('en-US')} ${cloud} records...`);
      const corpus = generateCloudCorpus(cloud, dir, records, Math.ceil(records / 20));
      // The exports as they are fetched: gzip files.
      const files = corpus.files.map((f) => {
        writeFileSync(`${f}.gz`, gzipSync(readFileSync(f), { level: 6 }));
        rmSync(f);
        return `${f}.gz`;
      });
      const agent = cloud === 'azure' ? AZURE_AGENT_APPID : GCP_AGENT;
      rows.push(
        ...(await scanRows({
          label: `${NAMES[cloud]} ${records.toLocaleString('en-US')} records`,
          input: `${files.length} gzip JSON-lines files, ${corpus.operations.toLocaleString('en-US')} operations`,
          files,
          workDir,
          jqFilter: JQ[cloud],
          log,
          scans: [
            {
              name: 'logs scan',
              args: ['logs', 'scan', dir, '--agent', agent, '--json'],
              check: (stdout) => {
                const report = JSON.parse(stdout) as { records: number; byCloud: Record<string, number> };
                if (report.records !== records || report.byCloud[cloud] !== corpus.operations) {
                  throw new Error(`${cloud}: the scan found ${report.records} records and ${report.byCloud[cloud]} operations; the corpus has ${records} and ${corpus.operations}`);
                }
              },
            },
          ],
        })),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
};
