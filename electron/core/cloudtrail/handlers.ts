import type { cloudtrailContract } from '../../shared/contract/cloudtrail';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { FirebreakError, notFound } from '../errors';
import { loadHighRiskTable } from './analyse/high-risk-load';
import { ScanCancelled, scanExports } from './analyse/scan';
import { verifyDigests } from './collect/digests';
import { importExports } from './collect/importer';
import { analyseIncident } from './collect/incident-analysis';
import { monitoringCheck } from './collect/monitoring';
import { pullCloudTrail } from './collect/pull';
import { Operations } from './operations';
import { CollectionsRepository } from './store/collections-repository';
import { EventsRepository } from './store/events-repository';
import { FindingsRepository } from './store/findings-repository';
import { incidentCloudTrail } from './store/incident-context';
import { findingsSummary } from './store/summary';

type CloudtrailMethod = keyof typeof cloudtrailContract;

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

export function cloudtrailHandlers(ctx: CoreContext): Pick<ApiHandlers, CloudtrailMethod> {
  const ops = new Operations();
  const exists = (incidentId: string) => incidentCloudTrail(ctx, incidentId);
  return {
    'cloudtrail.scan': ({ paths, agents, operationId }) =>
      ops.run(operationId, null, 'scan', (signal, progress) =>
        scanExports(paths, { resourcesDir: ctx.resourcesDir, agents, signal, onProgress: (p) => progress(`${p.filesDone} of ${p.files} files, ${p.records} records`) }).catch((e: unknown) => {
          throw e instanceof ScanCancelled ? new FirebreakError('cancelled', e.message) : e;
        }),
      ),
    'cloudtrail.verifyDigests': ({ path, publicKeys }) => verifyDigests(path, publicKeys),
    'cloudtrail.import': ({ incidentId, paths, operationId }) =>
      ops.run(operationId, incidentId, 'import', (signal, onProgress) => importExports(ctx, incidentId, paths, { signal, onProgress })),
    'cloudtrail.pull': ({ incidentId, regions, start, end, profile, endpoint, operationId }) =>
      ops.run(operationId, incidentId, 'pull', (signal, onProgress) =>
        pullCloudTrail(
          ctx,
          { incidentId, ...optional('regions', regions), ...optional('start', start), ...optional('end', end), ...optional('profile', profile), ...optional('endpoint', endpoint) },
          { signal, onProgress },
        ),
      ),
    'cloudtrail.monitoringCheck': ({ incidentId, regions, start, profile, endpoint, operationId }) =>
      ops.run(operationId, incidentId, 'monitoring', (signal, onProgress) =>
        monitoringCheck(
          ctx,
          { incidentId, ...optional('regions', regions), ...optional('start', start), ...optional('profile', profile), ...optional('endpoint', endpoint) },
          { signal, onProgress },
        ),
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
      analyseIncident(ctx, exists(incidentId), loadHighRiskTable(ctx.resourcesDir), ctx.automated('CloudTrail analysis'), 'agent identities changed');
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
      const detail = new EventsRepository(ctx.db).detail(incidentId, eventId, loadHighRiskTable(ctx.resourcesDir));
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
    'cloudtrail.operations': ({ incidentId }) => ops.list(incidentId),
    'cloudtrail.cancel': ({ operationId }) => ({ cancelled: ops.cancel(operationId) }),
  };
}
