import type { CloudScanFile, CloudScanReport } from '../../../shared/cloudlogs';
import { type ExportFile, collectExportFiles } from '../import/export-files';
import { type LogFileResult, readLogFile } from '../model/log-file-reader';
import { CloudAnalysis, type LogSource } from './cloud-analysis';
import { readCloudRiskTables } from './cloud-high-risk';
import { readHighRiskTable } from './high-risk-load';
import { type LogFileRead, type LogReaderData, type LogRowBatch, LogRowEncoder, type Refused } from './log-rows';
import { readInOrder } from './ordered-pool';
import { ScanCancelled } from './scan';
import { logWorkersFor, startWorker } from './scan-pool';
import { ConsumedCollector } from './collect-garbage';

export interface LogsScanOptions {
  resourcesDir: string;
  agents?: readonly string[];
  /** Worker threads to read with; default: decided by the input size (none for small inputs). */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Told how many worker threads read files (0: the calling thread read them all). */
  onReaders?: (workers: number) => void;
}

/** A file's line in the report: Azure and GCP records refused by their adapters make the file partial or failed. */
function fileResultOf(r: LogFileResult, refusedHere: Refused): CloudScanFile {
  // CloudTrail files count their own refusals (the fast reader); Azure and GCP records are refused by their adapters.
  const refused = r.cloud === 'aws' ? r.refusedNoTime : refusedHere;
  let { status, reason } = r;
  if (refused.count && r.cloud !== 'aws') {
    status = status === 'ok' && r.records > refused.count ? 'partial' : status === 'ok' ? 'failed' : status;
    const note = `${refused.count} record${refused.count === 1 ? '' : 's'} refused for want of a valid time (record${refused.count === 1 ? '' : 's'} ${refused.positions.join(', ')}${refused.count > refused.positions.length ? ', ...' : ''})`;
    reason = reason ? `${reason}; ${note}` : note;
  }
  return { path: r.path, cloud: r.cloud, status, records: r.records - (r.cloud === 'aws' ? 0 : refused.count), reason, ...(refused.count ? { refusedNoTime: refused } : {}) };
}

/**
 * What a logs scan's reader threads are set up with, and the key that says so: a warm-up that set readers up ahead
 * with the same key handed them the same data.
 */
export function logsReaderSetup(resourcesDir: string, agentValues: readonly string[] = []): { key: string; data: LogReaderData } {
  const agents = [...new Set(agentValues.map((a) => a.trim()).filter(Boolean))];
  return { key: JSON.stringify(['logs.scan', resourcesDir, agents]), data: { awsTable: readHighRiskTable(resourcesDir), cloudTables: readCloudRiskTables(resourcesDir), agents } };
}

/**
 * `firebreak logs scan`: CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files, the source detected per file,
 * every record mapped into the one event model and analysed together: operations per cloud, high-risk calls with
 * their ATT&CK ids, and each caller's cadence. Stores nothing. Large inputs are read in worker threads, one file each,
 * and analysed in file order, so the report is the same whichever thread read what.
 */
export async function scanCloudLogs(paths: readonly string[], o: LogsScanOptions): Promise<CloudScanReport> {
  const { key, data } = logsReaderSetup(o.resourcesDir, o.agents);
  const { agents } = data;
  const analysis = new CloudAnalysis(agents);
  const { files, others } = await collectExportFiles(paths);
  const results: CloudScanFile[] = others.map((f) => ({ path: f.path, cloud: null, status: f.status, records: 0, reason: f.reason }));
  let refusedNoTime = 0;
  let filesDone = 0;
  const finished = (r: LogFileResult, refused: Refused) => {
    const line = fileResultOf(r, refused);
    refusedNoTime += line.refusedNoTime?.count ?? 0;
    results.push(line);
    filesDone++;
    o.onProgress?.(`${filesDone} of ${files.length} files, ${analysis.records} records`);
  };

  let here: { encoder: LogRowEncoder; source: LogSource } | null = null;
  /** Reads file i here, consuming as it goes; `skip`: its first records were consumed already (a worker died on it). */
  const local = async (i: number, skip = 0) => {
    if (o.signal?.aborted) throw new ScanCancelled();
    if (!here) {
      const source = analysis.newSource();
      here = { source, encoder: new LogRowEncoder(data, (batch) => analysis.consume(batch, source)) };
    }
    const { encoder } = here;
    encoder.startFile(skip);
    let r: LogFileResult;
    try {
      r = await readLogFile((files[i] as ExportFile).path, encoder, o.signal);
    } catch (e) {
      if (o.signal?.aborted) throw new ScanCancelled();
      throw e;
    } finally {
      encoder.flush();
    }
    finished(r, encoder.refused);
  };

  // Made before the first batch: the heap's growth is counted from here.
  const collector = new ConsumedCollector();
  const workers = logWorkersFor(files, o.workers);
  const sources: LogSource[] = Array.from({ length: workers }, () => analysis.newSource());
  const pooled =
    workers > 0 &&
    (await readInOrder<LogReaderData, LogRowBatch, LogFileRead>(
      'logs-worker',
      files,
      workers,
      data,
      {
        consume: (batch, w) => {
          analysis.consume(batch, sources[w] as LogSource);
          collector.after(batch.rows);
        },
        finished: (_i, r) => finished(r.file, r.refused),
        // The file being consumed goes as it comes; should its worker die, the calling thread reads on after it.
        records: (batch) => batch.records,
        unreadable: (i, message) => ({
          file: { path: (files[i] as ExportFile).path, cloud: null, status: 'failed', records: 0, reason: `could not be read: ${message}`, refusedNoTime: { count: 0, positions: [] } },
          refused: { count: 0, positions: [] },
        }),
        local,
      },
      o.signal,
      (name, setup) => startWorker(name, setup, key),
    ));
  if (o.signal?.aborted) throw new ScanCancelled();
  o.onReaders?.(pooled ? workers : 0);
  if (!pooled) for (let i = 0; i < files.length; i++) await local(i);
  const report = analysis.report();
  const fileResults = results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    records: analysis.records,
    duplicates: analysis.duplicates,
    files: fileResults.filter((f) => f.status !== 'skipped').length,
    failedFiles: fileResults.filter((f) => f.status === 'failed' || f.status === 'partial').map((f) => ({ path: f.path, reason: f.reason ?? f.status })),
    byCloud: analysis.byCloud,
    highRisk: report.highRisk,
    byPrincipal: report.byPrincipal,
    unmatchedAgents: report.unmatchedAgents,
    refusedNoTime,
    fileResults,
  };
}
