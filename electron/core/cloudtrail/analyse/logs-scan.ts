import type { CloudScanFile, CloudScanReport } from '../../../shared/cloudlogs';
import { agentMatcher } from '../import/agents';
import { collectExportFiles } from '../import/export-files';
import { ViewNormalizer } from '../import/normalize-view';
import { F, type RecordView } from '../import/record-view';
import { resourcesOf } from '../import/normalize';
import { azureEvent } from '../model/azure-adapter';
import { cloudTrailEvent } from '../model/cloudtrail-adapter';
import { gcpEvent } from '../model/gcp-adapter';
import { type LogSink, readLogFile } from '../model/log-file-reader';
import { CloudAnalysis } from './cloud-analysis';
import { loadCloudRiskTables } from './cloud-high-risk';
import { type HighRiskRule, attackOf } from './high-risk';
import { loadHighRiskTable } from './high-risk-load';
import { ScanCancelled } from './scan';

export interface LogsScanOptions {
  resourcesDir: string;
  agents?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

const MAX_POSITIONS = 20;

/**
 * `firebreak logs scan`: CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files, the source detected per file,
 * every record mapped into the one event model and analysed together: operations per cloud, high-risk calls with
 * their ATT&CK ids, and each caller's cadence. Stores nothing.
 */
export async function scanCloudLogs(paths: readonly string[], o: LogsScanOptions): Promise<CloudScanReport> {
  const awsTable = loadHighRiskTable(o.resourcesDir);
  const tables = loadCloudRiskTables(o.resourcesDir);
  const agents = [...new Set((o.agents ?? []).map((a) => a.trim()).filter(Boolean))];
  const analysis = new CloudAnalysis(agents);
  const normalizer = new ViewNormalizer(agentMatcher(agents));
  const { files, others } = await collectExportFiles(paths);
  let refusedInFile = { count: 0, positions: [] as number[] };
  const refuse = (position: number) => {
    refusedInFile.count++;
    if (refusedInFile.positions.length < MAX_POSITIONS) refusedInFile.positions.push(position);
  };
  let awsPosition = 0;
  const sink: LogSink = {
    aws: (view: RecordView, file: string) => {
      awsPosition++;
      const { ev, agent } = normalizer.normalize(view);
      let rules: HighRiskRule[] = [];
      if (ev.readOnly !== true && awsTable.candidates(ev.eventSource, ev.eventName)) {
        try {
          rules = awsTable.classify(view.object(), ev.eventSource, ev.eventName);
        } catch {
          rules = [];
        }
      }
      const resources = rules.length || agent ? resourcesOf({ requestParameters: view.value(F.RequestParameters), resources: view.value(F.Resources) }, ev.service) : [];
      const e = cloudTrailEvent(ev, resources, file, awsPosition);
      analysis.add(e, { dedupKey: `aws|${ev.eventID}`, started: false, paired: false, rules: rules.map((r) => r.id), attack: attackOf(rules), agent });
    },
    azure: (record, file, position) => {
      const r = azureEvent(record, file, position);
      if ('refused' in r) return refuse(position);
      const rules = tables.match(r.event);
      analysis.add(r.event, {
        dedupKey: `azure|${r.event.eventId}`,
        started: r.started,
        paired: true,
        rules: rules.map((x) => x.id),
        attack: [...new Set(rules.flatMap((x) => x.attack))],
        agent: analysis.agentOf(r.event.actor),
      });
    },
    gcp: (record, file, position) => {
      const r = gcpEvent(record, file, position);
      if ('refused' in r) return refuse(position);
      const rules = tables.match(r.event);
      analysis.add(r.event, {
        dedupKey: `gcp|${r.dedupKey}`,
        started: r.first && !r.last,
        paired: r.first !== r.last,
        rules: rules.map((x) => x.id),
        attack: [...new Set(rules.flatMap((x) => x.attack))],
        agent: analysis.agentOf(r.event.actor),
      });
    },
  };
  const results: CloudScanFile[] = others.map((f) => ({ path: f.path, cloud: null, status: f.status, records: 0, reason: f.reason }));
  let refusedNoTime = 0;
  for (const [i, f] of files.entries()) {
    if (o.signal?.aborted) throw new ScanCancelled();
    refusedInFile = { count: 0, positions: [] };
    awsPosition = 0;
    let r;
    try {
      r = await readLogFile(f.path, sink, o.signal);
    } catch (e) {
      if (o.signal?.aborted) throw new ScanCancelled();
      throw e;
    }
    // CloudTrail files count their own refusals (the fast reader); Azure and GCP records are refused by their adapters.
    const refused = r.cloud === 'aws' ? r.refusedNoTime : refusedInFile;
    refusedNoTime += refused.count;
    let { status, reason } = r;
    if (refused.count && r.cloud !== 'aws') {
      status = status === 'ok' && r.records > refused.count ? 'partial' : status === 'ok' ? 'failed' : status;
      const note = `${refused.count} record${refused.count === 1 ? '' : 's'} refused for want of a valid time (record${refused.count === 1 ? '' : 's'} ${refused.positions.join(', ')}${refused.count > refused.positions.length ? ', ...' : ''})`;
      reason = reason ? `${reason}; ${note}` : note;
    }
    results.push({ path: f.path, cloud: r.cloud, status, records: r.records - (r.cloud === 'aws' ? 0 : refused.count), reason, ...(refused.count ? { refusedNoTime: refused } : {}) });
    o.onProgress?.(`${i + 1} of ${files.length} files, ${analysis.records} records`);
  }
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
