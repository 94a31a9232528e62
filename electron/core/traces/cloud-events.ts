import type { TraceScanFile } from '../../shared/traces';
import { agentMatcher } from '../cloudtrail/import/agents';
import { collectExportFiles } from '../cloudtrail/import/export-files';
import { resourcesOf } from '../cloudtrail/import/normalize';
import { ViewNormalizer } from '../cloudtrail/import/normalize-view';
import { F } from '../cloudtrail/import/record-view';
import { azureEvent } from '../cloudtrail/model/azure-adapter';
import type { CloudEvent } from '../cloudtrail/model/cloud-event';
import { cloudTrailEvent } from '../cloudtrail/model/cloudtrail-adapter';
import { gcpEvent } from '../cloudtrail/model/gcp-adapter';
import { readLogFile } from '../cloudtrail/model/log-file-reader';
import type { DbChange } from './db-correlate';
import { isDbLog, readDbChanges } from './db-changes';

/**
 * The cloud events of the logs given alongside a trace, any of the three clouds, in the one event model, and the
 * statements of the database logs among them (binlog text, PostgreSQL csvlog or stderr, pgaudit lines), told apart by
 * their first lines. Unlike `logs scan`, every event keeps its resources: they are what tool arguments are matched against.
 */
export async function readCloudEvents(paths: readonly string[], signal?: AbortSignal): Promise<{ events: CloudEvent[]; db: DbChange[]; files: TraceScanFile[] }> {
  const { files, others } = await collectExportFiles(paths);
  const results: TraceScanFile[] = others
    .filter((f) => f.status !== 'skipped')
    .map((f) => ({ path: f.path, format: 'cloud-log', status: 'failed', records: 0, reason: f.reason }));
  // In folders only .json and .gz files are collected: a database log there (.log, .csv, .txt) is found among the skipped.
  const candidates = [...files.map((f) => f.path), ...others.filter((f) => f.status === 'skipped').map((f) => f.path)];
  const dbLogs: string[] = [];
  for (const p of candidates) if (await isDbLog(p)) dbLogs.push(p);
  const read = await readCloudEventFiles(files.map((f) => f.path).filter((p) => !dbLogs.includes(p)), signal);
  const db = await readDbChanges(dbLogs, signal);
  return { events: read.events, db: db.changes, files: [...results, ...read.files, ...db.files] };
}

/** The cloud events of files named one by one (evidence in the locker, whose names carry no extension). */
export async function readCloudEventFiles(paths: readonly string[], signal?: AbortSignal): Promise<{ events: CloudEvent[]; files: TraceScanFile[] }> {
  const events: CloudEvent[] = [];
  const seen = new Set<string>();
  const keep = (e: CloudEvent) => {
    const key = `${e.cloud}|${e.eventId}|${e.operation}`;
    if (seen.has(key)) return;
    seen.add(key);
    events.push(e);
  };
  const normalizer = new ViewNormalizer(agentMatcher([]));
  const results: TraceScanFile[] = [];
  for (const path of paths) {
    let awsPosition = 0;
    const r = await readLogFile(
      path,
      {
        aws: (view, file) => {
          awsPosition++;
          const { ev } = normalizer.normalize(view);
          const resources = resourcesOf({ requestParameters: view.value(F.RequestParameters), resources: view.value(F.Resources) }, ev.service);
          keep(cloudTrailEvent(ev, resources, file, awsPosition));
        },
        azure: (record, file, position) => {
          const a = azureEvent(record, file, position);
          if (!('refused' in a)) keep(a.event);
        },
        gcp: (record, file, position) => {
          const g = gcpEvent(record, file, position);
          if (!('refused' in g)) keep(g.event);
        },
      },
      signal,
    );
    results.push({ path, format: 'cloud-log', status: r.status, records: r.records, reason: r.reason });
  }
  events.sort((a, b) => a.timeMs - b.timeMs);
  return { events, files: results };
}
