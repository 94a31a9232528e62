import type { CloudName, LogsImportResult } from '../../../shared/cloudlogs';
import type { CoreContext } from '../../context';
import { loadCloudRiskTables } from '../analyse/cloud-high-risk';
import { agentMatcher } from '../import/agents';
import { azureEvent } from '../model/azure-adapter';
import type { CloudEvent } from '../model/cloud-event';
import { gcpEvent } from '../model/gcp-adapter';
import { type LogSink, readLogFile } from '../model/log-file-reader';
import { cloudEventRow, identityOfActor } from '../store/cloud-event-row';
import { EventsRepository } from '../store/events-repository';
import { type CollectOptions, type EventSink, importIntoIncident } from './importer';

/**
 * Where the records of an audit-log file or API page go: CloudTrail records through the CloudTrail rows, Azure and GCP
 * records through the one event model (Azure Start/outcome and GCP first/last folded into one call), each with its
 * high-risk rules and agent match. `path` is what the records are told apart by in messages.
 */
export function cloudLogRecords(tables: ReturnType<typeof loadCloudRiskTables>): (sink: EventSink, evidenceId: string, path: string) => LogSink {
  let matcher: ReturnType<typeof agentMatcher> | null = null;
  const keep = (sink: EventSink, evidenceId: string, e: CloudEvent, record: Record<string, unknown>, started: boolean, paired: boolean) => {
    matcher ??= agentMatcher(sink.identities);
    const rules = tables.match(e);
    sink.addRow(
      cloudEventRow(e, {
        incidentId: sink.incidentId,
        collectionId: sink.collection,
        evidenceId,
        rules: rules.map((r) => r.id),
        attack: [...new Set(rules.flatMap((r) => r.attack))],
        agent: matcher.match(identityOfActor(e.cloud, e.actor, e.account))?.identity ?? null,
        started,
        paired,
        record: JSON.stringify(record),
      }),
      evidenceId,
    );
  };
  return (sink, evidenceId, path) => {
    const refused = (position: number, why: string) => sink.refuse(`record ${position} refused: ${why}`);
    return {
      aws: (view) => sink.add(view, evidenceId),
      azure: (record, _file, position) => {
        const a = azureEvent(record, path, position);
        if ('refused' in a) refused(position, a.refused);
        else keep(sink, evidenceId, a.event, record, a.started, true);
      },
      gcp: (record, _file, position) => {
        const g = gcpEvent(record, path, position);
        if ('refused' in g) refused(position, g.refused);
        else keep(sink, evidenceId, g.event, record, g.first && !g.last, g.first !== g.last);
      },
    };
  };
}

/**
 * `firebreak logs import`: CloudTrail, Azure Activity Log and GCP Cloud Audit Logs files into an incident, the source
 * detected per file. Each file is kept as evidence as a CloudTrail export is; CloudTrail records go through the
 * CloudTrail importer's rows, Azure and GCP records through the one event model into the same table, so the incident's
 * findings, cadence, blast radius and timeline show all three clouds.
 */
export async function importCloudLogs(ctx: CoreContext, incidentId: string, paths: readonly string[], o: CollectOptions = {}): Promise<LogsImportResult> {
  const records = cloudLogRecords(loadCloudRiskTables(ctx.resourcesDir));
  const clouds = new Map<string, CloudName | null>();
  const result = await importIntoIncident(
    ctx,
    incidentId,
    paths,
    {
      actorName: 'Cloud log import',
      what: 'audit-log files (CloudTrail, Azure Activity Log, GCP Cloud Audit Logs)',
      describe: (collectionId) => `Cloud audit-log export (${collectionId})`,
      read: async (lockerPath, path, evidenceId, sink, signal) => {
        const r = await readLogFile(lockerPath, records(sink, evidenceId, path), signal);
        clouds.set(path, r.cloud);
        return { path, cloud: r.cloud, status: r.status, records: r.records, reason: r.reason, ...(r.refusedNoTime.count ? { refusedNoTime: r.refusedNoTime } : {}) };
      },
    },
    o,
  );
  return {
    ...result,
    files: result.files.map((f) => ({ ...f, cloud: clouds.get(f.path) ?? null })),
    byCloud: new EventsRepository(ctx.db).byCloud(incidentId),
  };
}
