import type { TraceScanFile, TraceScanReport } from '../../shared/traces';
import { collectExportFiles } from '../cloudtrail/import/export-files';
import { analyseTraces } from './analyse';
import { readCloudEvents } from './cloud-events';
import { type RawStep, TraceInputError } from './raw-step';
import { readTraceFile } from './trace-file';

export interface TraceScanOptions {
  /** Cloud audit logs (CloudTrail, Azure, GCP) and database logs of the same period, to tie tool calls to what happened. */
  logs?: readonly string[];
  /** The tools the agent was meant to use. */
  tools?: readonly string[];
  /** Agent identities (ARN, role, app id, service account) the user names, besides what the traces say. */
  agents?: readonly string[];
  /** A declared change freeze: destructive calls inside it are a finding. */
  freeze?: { startMs: number; endMs: number } | null;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * `firebreak trace scan`: agent traces (OTLP GenAI spans, LangSmith runs) read into runs, every tool call judged
 * destructive or not and tied to the cloud events that followed it, with the findings. Stores nothing. A file that
 * cannot be read is reported with its reason and position; the others are still analysed.
 */
export async function scanTraces(given: readonly string[], o: TraceScanOptions = {}): Promise<TraceScanReport> {
  const files: TraceScanFile[] = [];
  const raw: RawStep[] = [];
  // Folders are read like log folders: every .json, .jsonl and .gz file in them; other files are not traces.
  const collected = await collectExportFiles(given);
  for (const f of collected.others) if (f.status === 'failed') files.push({ path: f.path, format: 'otlp', status: 'failed', records: 0, reason: f.reason });
  const paths = collected.files.map((f) => f.path);
  for (const [i, path] of paths.entries()) {
    if (o.signal?.aborted) throw new Error('cancelled');
    try {
      const r = await readTraceFile(path);
      for (const s of r.steps) raw.push(s);
      files.push({ path, format: r.format, status: 'ok', records: r.records, reason: null });
    } catch (e) {
      if (!(e instanceof TraceInputError)) throw e;
      files.push({ path, format: 'otlp', status: 'failed', records: 0, reason: `${e.position}: ${e.problem}` });
    }
    o.onProgress?.(`${i + 1} of ${paths.length} trace files`);
  }
  const cloud = o.logs?.length ? await readCloudEvents(o.logs, o.signal) : { events: [], db: [], files: [] };
  files.push(...cloud.files);

  return { ...analyseTraces(raw, cloud.events, { ...o, db: cloud.db }), cloudEvents: cloud.events.length, dbStatements: cloud.db.length, files };
}

