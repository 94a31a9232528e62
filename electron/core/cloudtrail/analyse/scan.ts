import type { ScanFileResult, ScanReport } from '../../../shared/cloudtrail';
import { agentMatcher } from '../import/agents';
import { type ExportFile, collectExportFiles } from '../import/export-files';
import { type FileReadResult, type ReadLimits, emptyReadResult, isCancelled, readExportFile } from '../import/export-reader';
import { Analyzer, type SourceMap } from './analyzer';
import { compileHighRiskTable } from './high-risk';
import { readHighRiskTable } from './high-risk-load';
import { readInOrder } from './ordered-pool';
import { type RowBatch, RowEncoder } from './row-batch';
import { startWorker, workersFor } from './scan-pool';
import type { ScanWorkerData } from './scan-protocol';
import { ConsumedCollector } from './collect-garbage';

export interface ScanProgress {
  filesDone: number;
  files: number;
  records: number;
}

export interface ScanOptions {
  /** Where resources/cloudtrail/high-risk-events.json is (the app's resources directory). */
  resourcesDir: string;
  agents?: readonly string[];
  /** Worker threads to use; default: decided by the input size (none for small inputs). */
  workers?: number;
  limits?: Partial<ReadLimits>;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

export class ScanCancelled extends Error {
  constructor() {
    super('The scan was cancelled.');
  }
}

const asFileResult = (r: FileReadResult): ScanFileResult => ({
  path: r.path,
  status: r.status,
  records: r.records,
  reason: r.reason,
  ...(r.refusedNoTime.count ? { refusedNoTime: r.refusedNoTime } : {}),
});

/**
 * What a cloudtrail scan's reader threads are set up with, and the key that says so: a warm-up that set readers up
 * ahead with the same key handed them the same data.
 */
export function scanReaderSetup(resourcesDir: string, agentValues: readonly string[] = [], limits: Partial<ReadLimits> = {}): { key: string; data: ScanWorkerData } {
  const agents = [...new Set(agentValues.map((a) => a.trim()).filter(Boolean))];
  return { key: JSON.stringify(['cloudtrail.scan', resourcesDir, agents, limits]), data: { table: readHighRiskTable(resourcesDir), agents, limits } };
}

/**
 * The stateless analysis behind `firebreak cloudtrail scan`: reads every export under the paths (in worker threads
 * when the input is large, analysed in file order, so the report is the same whichever thread read what),
 * deduplicates, classifies and attributes, and returns the report. A bad file is reported with its reason and the
 * others are still analysed.
 */
export async function scanExports(paths: readonly string[], o: ScanOptions): Promise<ScanReport> {
  const setup = scanReaderSetup(o.resourcesDir, o.agents, o.limits);
  const tableJson = setup.data.table;
  const table = compileHighRiskTable(tableJson);
  const { agents } = setup.data;
  const analyzer = new Analyzer(table, agents);
  const { files, others } = await collectExportFiles(paths);
  const results = new Array<ScanFileResult | undefined>(files.length);
  const versions: Record<string, number> = {};
  let done = 0;
  const finished = (i: number, r: FileReadResult) => {
    results[i] = asFileResult(r);
    for (const [v, n] of Object.entries(r.eventVersions)) versions[v] = (versions[v] ?? 0) + n;
    done++;
    o.onProgress?.({ filesDone: done, files: files.length, records: analyzer.records });
  };

  const source = analyzer.newSource();
  const encoder = new RowEncoder(table, agentMatcher(agents), 4096, (batch) => analyzer.consume(batch, source));
  /** Reads file i here, consuming as it goes; `skip`: its first records were consumed already (a worker died on it). */
  const readHere = async (i: number, skip = 0) => {
    const f = files[i] as ExportFile;
    let left = skip;
    try {
      finished(i, await readExportFile(f.path, (rec) => (left > 0 ? left-- : encoder.add(rec)), { limits: o.limits ?? {}, ...(o.signal ? { signal: o.signal } : {}) }));
    } catch (e) {
      if (isCancelled(e)) throw new ScanCancelled();
      throw e;
    } finally {
      encoder.flush();
    }
  };
  // Made before the first batch: the heap's growth is counted from here.
  const collector = new ConsumedCollector();
  const workers = workersFor(files, o.workers);
  const sources = Array.from({ length: workers }, () => analyzer.newSource());
  const pooled =
    workers > 0 &&
    (await readInOrder<ScanWorkerData, RowBatch, FileReadResult>(
      'scan-worker',
      files,
      workers,
      setup.data,
      {
        consume: (batch, w) => {
          analyzer.consume(batch, sources[w] as SourceMap);
          collector.after(batch.rows);
        },
        finished,
        unreadable: (i, message) => emptyReadResult((files[i] as ExportFile).path, `could not be read: ${message}`),
        local: readHere,
        // One row per record read: a worker's file is consumed as it comes and, should the worker die, read on after it.
        records: (batch) => batch.rows,
      },
      o.signal,
      (name, data) => startWorker(name, data, setup.key),
    ));
  if (o.signal?.aborted) throw new ScanCancelled();
  if (!pooled) for (let i = 0; i < files.length; i++) await readHere(i);
  const fileResults = [...results.filter((r): r is ScanFileResult => r !== undefined), ...others].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  return analyzer.report(fileResults, versions);
}
