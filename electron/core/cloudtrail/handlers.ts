import type { cloudtrailContract } from '../../shared/contract/cloudtrail';
import type { logsContract } from '../../shared/contract/logs';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { FirebreakError, notFound } from '../errors';
import { loadIncidentRiskTable } from './analyse/incident-risk-table';
import { scanCloudLogs } from './analyse/logs-scan';
import { ScanCancelled, scanExports } from './analyse/scan';
import { verifyDigests } from './collect/digests';
import { importExports } from './collect/importer';
import { pullCloudLogs } from './collect/cloud-pull';
import { importCloudLogs } from './collect/logs-importer';
import { analyseIncident } from './collect/incident-analysis';
import { monitoringCheck } from './collect/monitoring';
import { type PullOptions, pullCloudTrail } from './collect/pull';
import { CollectionsRepository } from './store/collections-repository';
import { EventsRepository } from './store/events-repository';
import { FindingsRepository } from './store/findings-repository';
import { incidentCloudTrail } from './store/incident-context';
import { findingsSummary } from './store/summary';

type CloudtrailMethod = keyof typeof cloudtrailContract | keyof typeof logsContract;

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** The activity chart shows this many identities over at most this many buckets (readable, and cheap to draw). */
const ACTIVITY_SERIES = 8;
const ACTIVITY_BUCKETS = 360;

export interface CloudTrailHandlerOptions {
  /** The CLI user's environment: AWS_REGION, and the pacing a test sets for a local endpoint. */
  env?: NodeJS.ProcessEnv;
}

/** Pacing can only be changed for a local endpoint (tests); against AWS it stays at 2 requests per second. */
function pacingFrom(env: NodeJS.ProcessEnv | undefined): PullOptions['pacing'] {
  return {
    ...(env?.FIREBREAK_CLOUDTRAIL_RPS ? { requestsPerSecond: Number(env.FIREBREAK_CLOUDTRAIL_RPS) } : {}),
    ...(env?.FIREBREAK_CLOUDTRAIL_BACKOFF_MS ? { backoffMs: Number(env.FIREBREAK_CLOUDTRAIL_BACKOFF_MS) } : {}),
  };
}

export function cloudtrailHandlers(ctx: CoreContext, o: CloudTrailHandlerOptions = {}): Pick<ApiHandlers, CloudtrailMethod> {
  const exists = (incidentId: string) => incidentCloudTrail(ctx, incidentId);
  const pullOptions = (signal: AbortSignal, onProgress: (line: string) => void): PullOptions => ({
    signal,
    onProgress,
    ...(o.env ? { env: o.env, pacing: pacingFrom(o.env) } : {}),
  });
  return {
    'cloudtrail.scan': ({ paths, agents }, { signal, progress }) =>
      scanExports(paths, { resourcesDir: ctx.resourcesDir, agents, signal, onProgress: (p) => progress(`${p.filesDone} of ${p.files} files, ${p.records} records`) }).catch((e: unknown) => {
        throw e instanceof ScanCancelled ? new FirebreakError('cancelled', e.message) : e;
      }),
    'logs.scan': ({ paths, agents }, { signal, progress }) =>
      scanCloudLogs(paths, { resourcesDir: ctx.resourcesDir, agents, signal, onProgress: progress }).catch((e: unknown) => {
        throw e instanceof ScanCancelled ? new FirebreakError('cancelled', e.message) : e;
      }),
    'cloudtrail.verifyDigests': ({ path, publicKeys }) => verifyDigests(path, publicKeys),
    'cloudtrail.import': ({ incidentId, paths }, { signal, progress }) => importExports(ctx, incidentId, paths, { signal, onProgress: progress }),
    'logs.import': ({ incidentId, paths }, { signal, progress }) => importCloudLogs(ctx, incidentId, paths, { signal, onProgress: progress }),
    'logs.pull': ({ incidentId, cloud, subscription, project, resourceGroup, caller, start, end, endpoint }, { signal, progress }) =>
      pullCloudLogs(
        ctx,
        {
          incidentId,
          cloud,
          ...optional('scope', cloud === 'azure' ? subscription : project),
          ...optional('resourceGroup', resourceGroup),
          ...optional('caller', caller),
          ...optional('start', start),
          ...optional('end', end),
          ...optional('endpoint', endpoint),
        },
        { signal, onProgress: progress, ...(o.env ? { pacing: pacingFrom(o.env) } : {}) },
      ),
    'logs.activity': ({ incidentId, cloud }) => {
      exists(incidentId);
      return new EventsRepository(ctx.db).activity(incidentId, cloud, ACTIVITY_SERIES, ACTIVITY_BUCKETS);
    },
    'cloudtrail.pull': ({ incidentId, regions, start, end, profile, endpoint }, { signal, progress }) =>
      pullCloudTrail(
        ctx,
        { incidentId, ...optional('regions', regions), ...optional('start', start), ...optional('end', end), ...optional('profile', profile), ...optional('endpoint', endpoint) },
        pullOptions(signal, progress),
      ),
    'cloudtrail.monitoringCheck': ({ incidentId, regions, start, profile, endpoint }, { signal, progress }) =>
      monitoringCheck(
        ctx,
        { incidentId, ...optional('regions', regions), ...optional('start', start), ...optional('profile', profile), ...optional('endpoint', endpoint) },
        pullOptions(signal, progress),
      ),
    'cloudtrail.agents': ({ incidentId }) => {
      const info = exists(incidentId);
      return { identities: info.identities, set: new CollectionsRepository(ctx.db).identities(incidentId), fromParams: info.fromParams };
    },
    'cloudtrail.setAgents': ({ incidentId, identities }) => {
      exists(incidentId);
      const actor = ctx.human();
      const wanted = [...new Set(identities)];
      ctx.change(
        actor,
        (change) => ({ scope: incidentId, action: 'cloudtrail.agents-set', subject: incidentId, payload: { identities: wanted, ...change } }),
        () => new CollectionsRepository(ctx.db).setIdentities(incidentId, wanted, ctx.now().toISOString()),
      );
      analyseIncident(ctx, exists(incidentId), loadIncidentRiskTable(ctx.resourcesDir), ctx.automated('CloudTrail analysis'), 'agent identities changed');
      return findingsSummary(ctx, incidentId);
    },
    'cloudtrail.summary': ({ incidentId }) => findingsSummary(ctx, incidentId),
    'cloudtrail.findings': ({ incidentId }) => {
      exists(incidentId);
      return new FindingsRepository(ctx.db).list(incidentId);
    },
    'cloudtrail.events': ({ incidentId, filter, offset, limit }) => {
      exists(incidentId);
      return new EventsRepository(ctx.db).page(incidentId, filter, offset, limit);
    },
    'cloudtrail.facets': ({ incidentId }) => {
      exists(incidentId);
      return new EventsRepository(ctx.db).facets(incidentId);
    },
    'cloudtrail.event': ({ incidentId, eventId }) => {
      exists(incidentId);
      const detail = new EventsRepository(ctx.db).detail(incidentId, eventId, loadIncidentRiskTable(ctx.resourcesDir));
      if (!detail) throw notFound(`There is no CloudTrail event ${eventId} in ${incidentId}.`);
      return detail;
    },
    'cloudtrail.markSupport': ({ incidentId, eventId, findingId, note, remove }) => {
      exists(incidentId);
      const actor = ctx.human();
      const store = new FindingsRepository(ctx.db);
      if (!new EventsRepository(ctx.db).exists(incidentId, eventId)) throw notFound(`There is no CloudTrail event ${eventId} in ${incidentId}.`);
      const finding = store.find(incidentId, findingId);
      if (!finding) throw notFound(`There is no finding ${findingId} in ${incidentId}.`);
      if (finding.status !== 'open' && !remove) throw new FirebreakError('conflict', `Finding ${findingId} was superseded by a later analysis; mark the event on a current finding.`);
      ctx.change(
        actor,
        (changed) =>
          changed
            ? {
                scope: incidentId,
                action: remove ? 'cloudtrail.support-removed' : 'cloudtrail.support-marked',
                subject: findingId,
                payload: { finding: findingId, event: eventId, note: note ?? null },
              }
            : null,
        () => store.mark(incidentId, findingId, eventId, actor.name, ctx.now().toISOString(), note ?? null, remove),
      );
      return store.support(incidentId, eventId);
    },
  };
}
