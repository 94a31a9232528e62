// CloudTrail scan benchmark (issue 21): `firebreak cloudtrail scan` and `firebreak logs scan` (real processes, as a
// responder runs them) against plain `zcat FILES > /dev/null` and the seed's compensating pipeline
// `zcat FILES | jq -c '.Records[] | select(...)'`, on the same synthetic corpus (400,000 records in 20 gzip files;
// 4,000,000 in 20 with FIREBREAK_BENCH_LARGE=1; 40,000 with FIREBREAK_BENCH_QUICK=1), in the same run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_ROLE_ARN, generateCorpus } from '../helpers/cloudtrail-corpus';
import { scanRows, scanSizes } from './scan-rows';
import type { Bench, BenchRow } from './types';

const JQ_FILTER = '.Records[] | select(.eventName | test("Delete|Drop|Purge|Terminate|Destroy"))';

export const benchCloudtrail: Bench = async ({ quick, workDir, log }) => {
  const rows: BenchRow[] = [];
  for (const records of scanSizes(quick)) {
    log(`generating ${records.toLocaleString('en-US')} records...`);
    const corpus = join(workDir, `exports-${records}`);
    const m = generateCorpus({ dir: corpus, records, recordsPerFile: Math.ceil(records / 20) });
    const check = (stdout: string) => {
      const report = JSON.parse(stdout) as { records: number; duplicates: number };
      if (report.records !== m.records || report.duplicates !== m.duplicates) {
        throw new Error(`the scan found ${report.records} records and ${report.duplicates} duplicates; the corpus has ${m.records} and ${m.duplicates}`);
      }
    };
    rows.push(
      ...(await scanRows({
        label: `CloudTrail ${records.toLocaleString('en-US')} records`,
        input: `${m.files.length} gzip files, ${Math.round(m.compressedBytes / 1048576)} MiB (${Math.round(m.bytes / 1048576)} MiB inflated)`,
        files: m.files,
        workDir,
        jqFilter: JQ_FILTER,
        log,
        scans: [
          { name: 'cloudtrail scan', args: ['cloudtrail', 'scan', corpus, '--agent', AGENT_ROLE_ARN, '--json'], check },
          { name: 'logs scan', args: ['logs', 'scan', corpus, '--agent', AGENT_ROLE_ARN, '--json'], check },
        ],
      })),
    );
    rmSync(corpus, { recursive: true, force: true });
  }
  return rows;
};
